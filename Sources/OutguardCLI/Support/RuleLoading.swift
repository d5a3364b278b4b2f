import OutguardConfig
import OutguardEngine

/// Loads rule files and compiles them, printing every diagnostic; the commands'
/// shared first step.
enum RuleLoading {
    struct Loaded {
        var ruleSet: RuleSet
        var policy: Policy
    }

    /// Returns nil (after printing the errors) when the rules have errors.
    static func load(_ paths: [String]) -> Loaded? {
        let ruleSet = RuleSetLoader.load(paths: paths)
        let compiled = ruleSet.compile()
        for diagnostic in compiled.diagnostics { Terminal.error(diagnostic.description) }
        guard let policy = compiled.policy else { return nil }
        return Loaded(ruleSet: ruleSet, policy: policy)
    }
}
