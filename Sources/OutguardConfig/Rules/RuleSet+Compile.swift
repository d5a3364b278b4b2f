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
        do {
            let policy = try Policy(rules: enabledDefinitions, ruleset: ruleset, limits: limits)
            return Compiled(policy: hasErrors ? nil : policy, diagnostics: diagnostics)
        } catch {
            return Compiled(policy: nil, diagnostics: diagnostics + diagnostics(for: error))
        }
    }
}
