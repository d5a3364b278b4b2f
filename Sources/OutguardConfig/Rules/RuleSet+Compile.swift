public import OutguardEngine

extension RuleSet {
    /// A compiled policy, or why there is none.
    public struct Compiled: Sendable {
        /// Nil when any file had an error.
        public var policy: Policy?
        /// Everything found while loading and compiling, warnings included.
        public var diagnostics: [Diagnostic]
    }

    /// Compiles the enabled rules into a policy. Loading problems and the engine's
    /// compile problems (a pattern that does not compile, a term that normalizes to
    /// nothing) are reported together, each at its file:line:col.
    public func compile(limits: EngineLimits = EngineLimits()) -> Compiled {
        var all = diagnostics + patternProblemsOfRejectedRules(limits: limits)
        do {
            let policy = try Policy(rules: enabledDefinitions, ruleset: ruleset, limits: limits)
            return Compiled(policy: hasErrors ? nil : policy, diagnostics: all)
        } catch {
            all += diagnostics(for: error)
            return Compiled(policy: nil, diagnostics: all)
        }
    }

    /// The engine's problems with rules that already had errors (a bad `validate` and a
    /// bad pattern in one rule are both reported). Ids are left out: the loader has
    /// already reported the rule's own id problems.
    private func patternProblemsOfRejectedRules(limits: EngineLimits) -> [Diagnostic] {
        let rejected = files.flatMap(\.rejectedRules)
        guard !rejected.isEmpty else { return [] }
        let renamed = rejected.enumerated().map { index, rule in
            var definition = rule.definition
            definition.id = "rejected.\(index)"
            return definition
        }
        do {
            _ = try Policy(rules: renamed, ruleset: ruleset, limits: limits)
            return []
        } catch {
            return Self.diagnostics(for: error, in: rejected)
        }
    }
}
