import OutguardConfig
import OutguardEngine
import Testing

/// Policies of the daemon config against loaded rules: names checked where the config file
/// wrote them, rules selected by pack and id, and a policy's mode applied to its rules.

private let rules = [
    "rules/pii.yaml": """
        pack: pii
        rules:
          - {id: pii.email, type: regex, pattern: '[a-z]+@[a-z]+\\.io', replacement: "[EMAIL]"}
          - {id: pii.phone, type: regex, pattern: '\\d{3}-\\d{4}', mode: shadow}
          - {id: pii.old, type: regex, pattern: 'old', enabled: false}
        """,
    "rules/secrets.yaml": """
        pack: secrets
        rules:
          - {id: secrets.key, type: regex, pattern: 'sk-[a-z0-9]{8}', action: block}
        """,
]

private func loaded(_ yaml: String) throws -> (fixture: ServerConfigFixture, config: ServerConfig, ruleSet: RuleSet) {
    let fixture = try ServerConfigFixture(yaml, files: rules)
    let config = try #require(fixture.config, "\(fixture.diagnostics)")
    let ruleSet = RuleSetLoader.load(paths: config.rules)
    try #require(!ruleSet.hasErrors, "\(ruleSet.diagnostics)")
    return (fixture, config, ruleSet)
}

@Test func unknownPacksAndRuleIdsAreErrorsWhereThePolicyNamesThem() throws {
    let (fixture, config, ruleSet) = try loaded("""
        policies:
          default: {packs: [pii, secret]}
          support:
            packs: [pii]
            rules: [pii.emial, secrets.key, pii.old, nothing.like.it]
        """)
    let expected = [
        "outguard.yaml:2:26: error: no rule file has pack `secret`\n    fix: did you mean `secrets`?",
        "outguard.yaml:5:13: error: no rule has id `pii.emial`\n    fix: did you mean `pii.email`?",
        "outguard.yaml:5:24: error: rule `secrets.key` is in pack `secrets`, which policy `support` leaves out\n    fix: add `secrets` to its `packs`, or remove `secrets.key`",
        "outguard.yaml:5:37: warning: rule `pii.old` is disabled, so policy `support` does not use it\n    fix: remove `enabled: false` from the rule, or remove `pii.old` here",
        "outguard.yaml:5:46: error: no rule has id `nothing.like.it`\n    fix: the rule ids are: pii.email, pii.old, pii.phone, secrets.key",
    ]
    #expect(fixture.folder.render(config.checkPolicies(against: ruleSet)) == expected)

    // Building reports the same, and leaves out the policies that have errors.
    let built = config.makePolicies(from: ruleSet)
    #expect(fixture.folder.render(built.diagnostics) == expected)
    #expect(built.policies.isEmpty)
}

@Test func aPolicySelectsByPackAndIdAndOverridesTheMode() throws {
    let (_, config, ruleSet) = try loaded("""
        policies:
          default: {}
          secrets-only: {packs: [secrets], scan_tool_arguments: true}
          email: {rules: [pii.email]}
          trial: {mode: shadow}
          strict: {packs: [pii], mode: enforce}
        """)
    #expect(config.checkPolicies(against: ruleSet).isEmpty)
    let built = config.makePolicies(from: ruleSet)
    #expect(built.diagnostics.isEmpty)
    #expect(Set(built.policies.keys) == ["default", "secrets-only", "email", "trial", "strict"])

    func modes(_ name: String) -> [String] {
        built.policies[name]?.policy.rules.map { "\($0.id) \($0.mode.rawValue)" } ?? ["no policy \(name)"]
    }
    #expect(modes("default") == ["pii.email enforce", "pii.phone shadow", "secrets.key enforce"])
    #expect(modes("secrets-only") == ["secrets.key enforce"])
    #expect(modes("email") == ["pii.email enforce"])
    #expect(modes("trial") == ["pii.email shadow", "pii.phone shadow", "secrets.key shadow"])
    #expect(modes("strict") == ["pii.email enforce", "pii.phone enforce"])
    #expect(built.policies["secrets-only"]?.scanToolArguments == true)
    #expect(built.policies["default"]?.scanToolArguments == false)
    #expect(built.policies.values.allSatisfy { $0.policy.ruleset == ruleSet.ruleset })

    // Shadow changes nothing the user sees, enforce applies every action.
    #expect(built.policies["trial"]?.policy.evaluate("mail a@b.io").text == "mail a@b.io")
    #expect(built.policies["default"]?.policy.evaluate("mail a@b.io").text == "mail [EMAIL]")
    #expect(built.policies["strict"]?.policy.evaluate("call 555-1234").text == "call [REDACTED]")
}

@Test func aPolicyThatSelectsNothingIsWarnedAbout() throws {
    let (fixture, config, ruleSet) = try loaded("policies: {off: {packs: []}}")
    #expect(fixture.folder.render(config.checkPolicies(against: ruleSet)) == [
        "outguard.yaml:1:12: warning: policy `off` selects no rules: it lets everything through\n    fix: list the packs it should apply, like `off: {packs: [pii, secrets]}`"
    ])
    #expect(config.makePolicies(from: ruleSet).policies["off"]?.policy.rules.isEmpty == true)
}

@Test func aRuleSetWithErrorsBuildsNoPolicies() throws {
    let fixture = try ServerConfigFixture("rules: [rules/]", files: ["rules/pii.yaml": "rules: [{id: pii.x, type: regex}]"])
    let config = try #require(fixture.config)
    let ruleSet = RuleSetLoader.load(paths: config.rules)
    #expect(ruleSet.hasErrors)
    #expect(config.makePolicies(from: ruleSet).policies.isEmpty)
}

@Test func aPatternTheEngineRejectsIsReportedOncePerRule() throws {
    let fixture = try ServerConfigFixture(
        "policies: {a: {}, b: {}}",
        files: ["rules/pii.yaml": "rules: [{id: pii.x, type: regex, pattern: 'a{2,1}'}]"])
    let config = try #require(fixture.config)
    let ruleSet = RuleSetLoader.load(paths: config.rules)
    try #require(!ruleSet.hasErrors, "\(ruleSet.diagnostics)")
    let built = config.makePolicies(from: ruleSet)
    #expect(built.policies.isEmpty)
    #expect(built.diagnostics.count == 1)
    #expect(built.diagnostics.first.map { fixture.folder.render([$0])[0].hasPrefix("rules/pii.yaml:1:") } == true)
}
