/// The API shapes Outguard understands, named as they appear in logs (`provider`).
public enum Provider: String, Sendable, Hashable, CaseIterable {
    case openAIChat = "openai.chat"
    case openAICompletions = "openai.completions"
    case openAIResponses = "openai.responses"
    case anthropicMessages = "anthropic.messages"
    case gemini = "gemini"
    case ollamaChat = "ollama.chat"
    case ollamaGenerate = "ollama.generate"

    /// The provider whose API serves `path` (without the query), or nil for a route
    /// Outguard does not filter.
    public init?(path: Substring) {
        switch path {
        case "/v1/chat/completions", "/chat/completions": self = .openAIChat
        case "/v1/completions", "/completions": self = .openAICompletions
        case "/v1/responses", "/responses": self = .openAIResponses
        case "/v1/messages": self = .anthropicMessages
        case "/api/chat": self = .ollamaChat
        case "/api/generate": self = .ollamaGenerate
        default:
            guard path.hasPrefix("/v1beta/models/") || path.hasPrefix("/v1/models/"),
                path.hasSuffix(":generateContent") || path.hasSuffix(":streamGenerateContent")
            else { return nil }
            self = .gemini
        }
    }

    /// How streamed responses of this API are framed.
    public var streamFraming: StreamFraming {
        switch self {
        case .ollamaChat, .ollamaGenerate: .ndjson
        default: .sse
        }
    }
}

/// Server-sent events (`text/event-stream`) or one JSON object per line.
public enum StreamFraming: Sendable {
    case sse
    case ndjson
}
