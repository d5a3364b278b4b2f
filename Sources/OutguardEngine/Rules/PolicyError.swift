/// Why a list of rule definitions did not compile into a policy.
///
/// Every problem of every rule is collected, so a rule author sees them all in one run.
public struct PolicyError: Error, Sendable, Equatable {
    public var problems: [RuleProblem]
    public init(problems: [RuleProblem]) { self.problems = problems }
}

/// One thing wrong with one rule.
public struct RuleProblem: Sendable, Equatable {
    /// The part of a rule the problem is about, so a loader can point at it.
    public enum Field: String, Sendable, Equatable {
        case id, pattern, terms, exceptions, validator, normalize, hook, threshold, categories
    }

    /// Index of the rule in the list given to `Policy`.
    public var ruleIndex: Int
    public var field: Field
    public var message: String
    /// For a pattern that does not compile: the offset of the bad spot, in characters.
    public var patternOffset: Int?
    /// For a bad term: its index in `terms` or `exceptions`.
    public var termIndex: Int?

    public init(ruleIndex: Int, field: Field, message: String, patternOffset: Int? = nil, termIndex: Int? = nil) {
        self.ruleIndex = ruleIndex
        self.field = field
        self.message = message
        self.patternOffset = patternOffset
        self.termIndex = termIndex
    }
}
