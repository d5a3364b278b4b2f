import OutguardConfig
import OutguardEngine

/// The policies one rule set gives under the daemon config: each policy the config defines
/// (its packs, rule ids and mode), and every enabled rule for a response whose policy the
/// config does not define.
struct ReplayRules: Sendable {
    let named: [String: Policy]
    let everyRule: Policy

    /// `sha256:…` of the rule files, to say which rule sets were compared.
    var ruleset: String { everyRule.ruleset }

    func policy(named name: String) -> Policy {
        named[name] ?? everyRule
    }

    /// Loads and compiles `paths` under `config`'s policies; nil after printing what is wrong.
    static func load(_ paths: [String], config: ServerConfig) -> ReplayRules? {
        guard let loaded = RuleLoading.load(paths) else { return nil }
        let built = config.makePolicies(from: loaded.ruleSet)
        for diagnostic in built.diagnostics { Terminal.error(diagnostic.description) }
        guard !built.diagnostics.contains(where: { $0.severity == .error }) else {
            Terminal.error(
                "replay: the config's policies must fit both rule sets; give --rules and --against every "
                    + "rule file the daemon loads, not only the changed one")
            return nil
        }
        return ReplayRules(named: built.policies.mapValues(\.policy), everyRule: loaded.policy)
    }
}
