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

        /// The outcome of a text with these findings.
        public init(findings: some Sequence<Finding>, blocked: Bool) {
            if blocked {
                self = .block
            } else {
                var outcome = Outcome.pass
                for finding in findings {
                    if finding.isEnforced && finding.action == .redact { self = .redact; return }
                    outcome = .shadow
                }
                self = outcome
            }
        }

        /// The stronger of two outcomes (pass < shadow < redact < block).
        public func combined(with other: Outcome) -> Outcome {
            strength >= other.strength ? self : other
        }

        private var strength: Int {
            switch self {
            case .pass: 0
            case .shadow: 1
            case .redact: 2
            case .block: 3
            }
        }
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

    public var outcome: Outcome { Outcome(findings: findings, blocked: isBlocked) }
}
