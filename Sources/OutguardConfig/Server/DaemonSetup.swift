/// Everything `outguard serve` reads from disk, loaded and compiled: the settings, the rule
/// set and the policies built from it. Start-up and every reload load it the same way, so
/// a reload can never accept what a start would refuse.
public struct DaemonSetup: Sendable {
    public var config: ServerConfig
    public var policies: [String: PolicyEntry]
    /// The rule set's digest, which every violation record carries.
    public var ruleset: String
    /// The classifier hooks the rule files declare.
    public var hooks: [HookDefinition]
    /// The files whose change means a reload: the config file and every file read for
    /// the rules, plus the rule folders (a new file there counts).
    public var watchedPaths: [String]

    /// Loads the config file at `path` (nil: the embedded defaults) with the environment's
    /// and the flags' overrides, then the rules it names. Warnings come back with a setup;
    /// any error means no setup, and every problem found is in `diagnostics`.
    public static func load(
        path: String?, environment: [String: String], overrides: [String: String]
    ) -> (setup: DaemonSetup?, diagnostics: [Diagnostic]) {
        let loaded = ServerConfigLoader.load(path: path, environment: environment, overrides: overrides)
        guard let config = loaded.config else { return (nil, loaded.diagnostics) }
        let ruleSet = RuleSetLoader.load(paths: config.rules)
        // `makePolicies` reports the policy checks too.
        let built = config.makePolicies(from: ruleSet)
        let diagnostics = loaded.diagnostics + ruleSet.diagnostics + built.diagnostics
        guard !diagnostics.contains(where: { $0.severity == .error }) else { return (nil, diagnostics) }
        let setup = DaemonSetup(
            config: config, policies: built.policies, ruleset: ruleSet.ruleset, hooks: ruleSet.hooks,
            watchedPaths: (path.map { [$0] } ?? []) + config.rules + ruleSet.sources)
        return (setup, diagnostics)
    }
}
