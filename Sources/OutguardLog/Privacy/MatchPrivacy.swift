/// How the log holds the text a rule matched (`log.match`), and the findings inside a
/// record's context.
public enum MatchPrivacy: String, Sendable, Hashable, CaseIterable {
    /// The first character of each word, the rest as `*`: `t***@e******.jp`. Reviewers
    /// see the shape of what fired without being able to read it.
    case masked
    /// `hmac-sha256:` and the keyed hash: equal values can be counted and joined across
    /// records, and nobody without the key can test a guess.
    case hmac
    /// The text as it was. Only for logs that may hold what the rules protect.
    case full
    /// No `match` and no `context` at all.
    case none
}
