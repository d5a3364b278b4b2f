/// What the engine decided about one text.
public struct Verdict: Sendable, Hashable {
    /// What a response carries, in the order of strength (`Outguard-Action` later).
    public enum Outcome: String, Sendable, Hashable, Codable {
        /// Nothing fired.
        case pass
        /// Only shadow or log findings: the text is unchanged.
        case shadow
        /// Some text was replaced.
        case redact
        /// The text must not be shown.
        case block
    }

    /// The text with every enforced redaction applied (also when blocked: what a
    /// stream may already have shown is a prefix of it).
    public var text: String
    /// The enforced blocking finding that decided the block, if any.
    public var blockedBy: Finding?
    /// What the user sees instead of a blocked text.
    public var message: String?
    /// Every finding, shadow and log ones included, in text order.
    public var findings: [Finding]

    public init(text: String, blockedBy: Finding? = nil, message: String? = nil, findings: [Finding]) {
        self.text = text
        self.blockedBy = blockedBy
        self.message = message
        self.findings = findings
    }

    public var isBlocked: Bool { blockedBy != nil }

    /// What the user sees: the block message when blocked, else the rewritten text.
    public var shownText: String { isBlocked ? message ?? RuleDefinition.defaultBlockMessage : text }

    public var outcome: Outcome {
        if isBlocked { return .block }
        if findings.contains(where: { $0.isEnforced && $0.action == .redact }) { return .redact }
        return findings.isEmpty ? .pass : .shadow
    }
}
