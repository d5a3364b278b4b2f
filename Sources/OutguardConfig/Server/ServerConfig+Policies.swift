public import OutguardEngine

extension ServerConfig {
    /// Checks the policies against the loaded rules: a pack or rule id that no rule file
    /// declares is an error where the config file names it, with the closest name there is.
    public func checkPolicies(against ruleSet: RuleSet) -> [Diagnostic] {
        let known = KnownNames(ruleSet)
        var diagnostics: [Diagnostic] = []
        for name in policies.keys.sorted() {
            // Policies the file does not write (the implicit `default`) name nothing to check.
            guard let policy = policies[name], let source = policySources[name] else { continue }
            let found = check(policy, named: name, source: source, known: known)
            diagnostics += found
            let selected = Self.selectedRules(policy, from: ruleSet)
            if found.isEmpty, !ruleSet.enabledRules.isEmpty, selected.isEmpty {
                let packs = known.packs.prefix(2).joined(separator: ", ")
                diagnostics.append(Diagnostic(
                    .warning, at: source.name, "policy `\(name)` selects no rules: it lets everything through",
                    fix: "list the packs it should apply, like `\(name): {packs: [\(packs)]}`"))
            }
        }
        return diagnostics
    }

    /// Builds one engine `Policy` per named policy from the rule set: its packs' enabled rules,
    /// narrowed to its rule ids, with its mode override applied, all sharing the rule set's
    /// hash. What `checkPolicies` reports comes back too, so callers need not call both; a
    /// policy with an error is left out. A rule set with errors builds nothing, as
    /// `RuleSet.compile` does: serving part of the rules would look like serving all of them.
    public func makePolicies(
        from ruleSet: RuleSet, limits: EngineLimits = EngineLimits()
    ) -> (policies: [String: PolicyEntry], diagnostics: [Diagnostic]) {
        var diagnostics = checkPolicies(against: ruleSet)
        guard !ruleSet.hasErrors else { return ([:], diagnostics) }
        let failed = Set(diagnostics.filter { $0.severity == .error }.map(\.location))
        var entries: [String: PolicyEntry] = [:]
        for name in policies.keys.sorted() {
            guard let config = policies[name] else { continue }
            if let source = policySources[name], !failed.isDisjoint(with: source.packs + source.rules) { continue }
            let rules = Self.selectedRules(config, from: ruleSet)
            let definitions = rules.map { rule in
                var definition = rule.definition
                if let mode = config.mode { definition.mode = mode.ruleMode }
                return definition
            }
            do {
                let policy = try Policy(rules: definitions, ruleset: ruleSet.ruleset, limits: limits)
                entries[name] = PolicyEntry(name: name, policy: policy, scanToolArguments: config.scanToolArguments)
            } catch {
                // Every policy holding a bad rule reports it; the user needs to read it once.
                for diagnostic in RuleSet.diagnostics(for: error, in: rules) where !diagnostics.contains(diagnostic) {
                    diagnostics.append(diagnostic)
                }
            }
        }
        return (entries, diagnostics)
    }

    /// The packs and rules the rule files declare, also those of rules with errors (their
    /// own diagnostics already say what is wrong with them).
    private struct KnownNames {
        var packs: [String]
        var rules: [String: LoadedRule]

        init(_ ruleSet: RuleSet) {
            packs = Set(ruleSet.files.map(\.pack)).sorted()
            let all = ruleSet.files.flatMap { $0.rules + $0.rejectedRules }
            rules = Dictionary(all.map { ($0.definition.id, $0) }) { first, _ in first }
        }
    }

    private func check(
        _ policy: PolicyConfig, named name: String, source: PolicySource, known: KnownNames
    ) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for (pack, location) in zip(policy.packs ?? [], source.packs) where !known.packs.contains(pack) {
            diagnostics.append(Diagnostic(.error, at: location, "no rule file has pack `\(pack)`",
                                          fix: Self.fix(for: pack, among: known.packs, noun: "loaded packs")))
        }
        for (id, location) in zip(policy.rules ?? [], source.rules) {
            guard let rule = known.rules[id] else {
                let fix = Self.fix(for: id, among: known.rules.keys.sorted(), noun: "rule ids")
                diagnostics.append(Diagnostic(.error, at: location, "no rule has id `\(id)`", fix: fix))
                continue
            }
            let pack = rule.definition.pack
            if let packs = policy.packs, !packs.contains(pack) {
                diagnostics.append(Diagnostic(
                    .error, at: location, "rule `\(id)` is in pack `\(pack)`, which policy `\(name)` leaves out",
                    fix: "add `\(pack)` to its `packs`, or remove `\(id)`"))
            } else if !rule.enabled {
                diagnostics.append(Diagnostic(
                    .warning, at: location, "rule `\(id)` is disabled, so policy `\(name)` does not use it",
                    fix: "remove `enabled: false` from the rule, or remove `\(id)` here"))
            }
        }
        return diagnostics
    }

    /// The enabled rules `policy` applies, in rule set order.
    private static func selectedRules(_ policy: PolicyConfig, from ruleSet: RuleSet) -> [LoadedRule] {
        ruleSet.enabledRules.filter { rule in
            let inPacks = policy.packs?.contains(rule.definition.pack) ?? true
            return inPacks && (policy.rules?.contains(rule.definition.id) ?? true)
        }
    }

    private static func fix(for name: String, among names: [String], noun: String) -> String {
        if let close = Suggestion.closest(to: name, among: names) { return "did you mean `\(close)`?" }
        if names.isEmpty { return "load a rule file that declares it" }
        // A long list of rule ids would bury the message; `outguard lint` lists them all.
        let shown = names.prefix(12).joined(separator: ", ") + (names.count > 12 ? ", …" : "")
        return "the \(noun) are: \(shown)"
    }
}

extension ModeOverride {
    /// The engine's name for the same mode.
    var ruleMode: RuleMode {
        switch self {
        case .shadow: .shadow
        case .enforce: .enforce
        }
    }
}
