/// A match as a matcher reports it: which rule, where in the normalized text.
struct RawMatch {
    /// Index of the rule in the policy.
    var rule: Int
    /// Global offsets in the normalized text.
    var range: Range<Int>
    /// Set when the rule could not be evaluated over `range`.
    var failure: String?
}
