/// A compiled set of rules: built once from definitions, immutable, shared by every
/// request that uses it.
///
/// Everything that can fail fails here (patterns that do not compile, empty terms);
/// evaluation cannot fail and returns a `Verdict`.
public struct Policy: Sendable {
    /// Identifies the rule source this policy was built from (`sha256:…`), for logs.
    public let ruleset: String
    let compiled: CompiledPolicy

    /// The rules in evaluation order (the order given).
    public var rules: [RuleDefinition] { compiled.rules }
    public var limits: EngineLimits { compiled.limits }

    public init(rules: [RuleDefinition], ruleset: String, limits: EngineLimits = EngineLimits()) throws(PolicyError) {
        self.ruleset = ruleset
        compiled = try CompiledPolicy(rules: rules, limits: limits)
    }

    /// Filters a whole text at once.
    public func evaluate(_ text: String) -> Verdict {
        var filter = StreamFilter(policy: compiled)
        let output = filter.feed(text, final: true)
        return Verdict(
            text: output.text, blockedBy: output.blockedBy, message: output.blockedBy.map(message(for:)),
            findings: output.findings)
    }

    /// A filter for one streamed text.
    public func makeStreamFilter() -> StreamFilter { StreamFilter(policy: compiled) }

    /// What the user sees when `finding` blocks an answer.
    public func message(for finding: Finding) -> String {
        compiled.ruleIndex[finding.ruleID].flatMap { compiled.rules[$0].message } ?? RuleDefinition.defaultBlockMessage
    }
}

/// The compiled form behind `Policy`: rule metadata and one `Profile` per distinct
/// normalization.
final class CompiledPolicy: Sendable {
    let rules: [RuleDefinition]
    let ruleIndex: [String: Int]
    let profiles: [Profile]
    let limits: EngineLimits

    init(rules: [RuleDefinition], limits: EngineLimits) throws(PolicyError) {
        self.rules = rules
        self.limits = limits
        var problems: [RuleProblem] = []
        var index: [String: Int] = [:]
        for (position, rule) in rules.enumerated() {
            if index[rule.id] != nil {
                problems.append(RuleProblem(ruleIndex: position, field: .id, message: "rule id `\(rule.id)` is used twice"))
            }
            index[rule.id] = index[rule.id] ?? position
        }
        ruleIndex = index

        let grouping = ProfileGrouping(rules: rules)
        var profiles: [Profile] = []
        for normalization in grouping.normalizations {
            let members = rules.indices.filter { grouping.normalization(of: rules[$0]) == normalization }
            let builder = ProfileBuilder(normalization: normalization, limits: limits)
            profiles.append(builder.build(rules: rules, members: members, problems: &problems))
        }
        self.profiles = profiles
        if !problems.isEmpty { throw PolicyError(problems: problems.sorted { $0.ruleIndex < $1.ruleIndex }) }
    }
}
