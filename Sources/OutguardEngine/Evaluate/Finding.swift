/// Something a rule found in a text, or a rule that could not decide.
public struct Finding: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The rule matched.
        case match
        /// The rule could not be evaluated (e.g. a regex hit its match limit); the caller's
        /// `fail_mode` decides what that means.
        case engineError = "engine_error"
    }

    public var kind: Kind
    public var ruleID: String
    public var pack: String
    public var action: RuleAction
    public var mode: RuleMode
    public var severity: Severity
    /// Where the match lies in the original text, in UTF-8 bytes.
    public var byteSpan: Range<Int>
    /// Where the match lies in the original text, in Unicode scalars (code points).
    public var characterSpan: Range<Int>
    /// The original text of the match, exactly as the user would have seen it.
    public var matchedText: String
    /// For `engineError`: what went wrong.
    public var detail: String?
    /// For a classifier rule: the score of each of its categories.
    public var scores: [String: Double]?

    public init(
        kind: Kind = .match, ruleID: String, pack: String, action: RuleAction, mode: RuleMode,
        severity: Severity, byteSpan: Range<Int>, characterSpan: Range<Int>, matchedText: String,
        detail: String? = nil, scores: [String: Double]? = nil
    ) {
        self.kind = kind
        self.ruleID = ruleID
        self.pack = pack
        self.action = action
        self.mode = mode
        self.severity = severity
        self.byteSpan = byteSpan
        self.characterSpan = characterSpan
        self.matchedText = matchedText
        self.detail = detail
        self.scores = scores
    }

    /// Whether this finding changes what the user sees.
    public var isEnforced: Bool { mode == .enforce && kind == .match }
}
