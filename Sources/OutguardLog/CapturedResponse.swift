public import Foundation

/// One line of the capture file: the original text of one response, kept (opt-in) so a
/// changed rule set can be replayed and evaluated on real traffic. Unlike the violation
/// log it holds raw text, which is why the file is created with mode 0600.
public struct CapturedResponse: Sendable, Hashable, Codable {
    /// One filtered text of the response, as the upstream sent it (before any rewrite).
    public struct Segment: Sendable, Hashable, Codable {
        /// Which choice / content block / candidate the text came from.
        public var choice: Int
        /// Which field: `text` (the answer), `refusal`, or `tool_arguments`.
        public var field: String
        public var text: String

        public init(choice: Int, field: String = "text", text: String) {
            self.choice = choice
            self.field = field
            self.text = text
        }

        enum CodingKeys: String, CodingKey {
            case choice, field, text
        }
    }

    public var ts: Date
    public var requestID: String
    public var policy: String
    /// `sha256:…` of the rule set the response was filtered with.
    public var ruleset: String
    public var provider: String
    public var model: String?
    public var stream: Bool
    /// Whether the response had findings when it was filtered (clean ones are a sample).
    public var hadFindings: Bool
    public var segments: [Segment]

    public init(
        ts: Date = Date(), requestID: String, policy: String, ruleset: String, provider: String,
        model: String?, stream: Bool, hadFindings: Bool, segments: [Segment]
    ) {
        self.ts = ts
        self.requestID = requestID
        self.policy = policy
        self.ruleset = ruleset
        self.provider = provider
        self.model = model
        self.stream = stream
        self.hadFindings = hadFindings
        self.segments = segments
    }

    enum CodingKeys: String, CodingKey {
        case ts
        case requestID = "request_id"
        case policy, ruleset, provider, model, stream
        case hadFindings = "had_findings"
        case segments
    }
}
