import OutguardEngine

/// The labels of `outguard_requests_total` for one response: the key a response looks its
/// counter up by.
struct RequestLabels: Hashable, Sendable {
    var route: RouteLabel
    /// The route's API shape; nil for a route of no known API.
    var provider: Provider?
    var status: UInt
    var action: Verdict.Outcome

    var dimensions: [(String, String)] {
        [
            ("route", route.path), ("provider", provider?.rawValue ?? "none"), ("status", String(status)),
            ("action", action.rawValue),
        ]
    }

    /// An enum with raw values hashes its raw string; comparing two is one byte. The route
    /// and status pick the counter almost alone (the provider follows from the route, and
    /// there are four actions), so only they are hashed: a few cheap comparisons at most,
    /// instead of hashing three strings on every response.
    func hash(into hasher: inout Hasher) {
        hasher.combine(route)
        hasher.combine(status)
    }
}

/// The `route` label: the path of a route Outguard knows, with Gemini's model name left
/// out, or `other`. Never the raw path: a label value per path (or per model) would grow
/// the metrics without bound.
enum RouteLabel: Hashable, Sendable, CaseIterable {
    case chatCompletions, chatCompletionsUnversioned
    case completions, completionsUnversioned
    case responses, responsesUnversioned
    case messages
    case ollamaChat, ollamaGenerate
    case geminiGenerate, geminiStream, geminiV1Generate, geminiV1Stream
    case feedback
    /// Every route Outguard passes on unfiltered (and a path it filters that is missing here).
    case other

    /// The label of `path` (without the query), which `Provider(path:)` read as `provider`.
    init(path: Substring, provider: Provider?, isFeedback: Bool) {
        if isFeedback {
            self = .feedback
            return
        }
        guard let provider else {
            self = .other
            return
        }
        if provider == .gemini {
            let stream = path.hasSuffix(":streamGenerateContent")
            self =
                path.hasPrefix("/v1beta/")
                ? (stream ? .geminiStream : .geminiGenerate) : (stream ? .geminiV1Stream : .geminiV1Generate)
            return
        }
        switch path {
        case "/v1/chat/completions": self = .chatCompletions
        case "/chat/completions": self = .chatCompletionsUnversioned
        case "/v1/completions": self = .completions
        case "/completions": self = .completionsUnversioned
        case "/v1/responses": self = .responses
        case "/responses": self = .responsesUnversioned
        case "/v1/messages": self = .messages
        case "/api/chat": self = .ollamaChat
        case "/api/generate": self = .ollamaGenerate
        default: self = .other
        }
    }

    /// The label's value.
    var path: String {
        switch self {
        case .chatCompletions: "/v1/chat/completions"
        case .chatCompletionsUnversioned: "/chat/completions"
        case .completions: "/v1/completions"
        case .completionsUnversioned: "/completions"
        case .responses: "/v1/responses"
        case .responsesUnversioned: "/responses"
        case .messages: "/v1/messages"
        case .ollamaChat: "/api/chat"
        case .ollamaGenerate: "/api/generate"
        case .geminiGenerate: "/v1beta/models/{model}:generateContent"
        case .geminiStream: "/v1beta/models/{model}:streamGenerateContent"
        case .geminiV1Generate: "/v1/models/{model}:generateContent"
        case .geminiV1Stream: "/v1/models/{model}:streamGenerateContent"
        case .feedback: "/v1/outguard/feedback"
        case .other: "other"
        }
    }
}

/// The labels of `outguard_findings_total`.
struct FindingLabels: Hashable, Sendable {
    var rule: String
    var action: RuleAction
    var mode: RuleMode

    var dimensions: [(String, String)] { [("rule", rule), ("action", action.rawValue), ("mode", mode.rawValue)] }

    /// A rule has one action and at most two modes: the rule id alone spreads the keys.
    func hash(into hasher: inout Hasher) {
        hasher.combine(rule)
    }
}
