import ArgumentParser
import OutguardConfig

/// `outguard test`: runs the examples every rule carries.
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run every rule's tests (match, no_match, rewrite) and say what differed.",
        discussion: """
            Each rule is tested on its own and as if enforced, so a shadow rule's tests
            show what it will do once enforced. Exits 1 if any test fails.

            Examples:
              outguard test rules/
              outguard test rules/pii.yaml --rule pii.email
            """)

    @Argument(help: "Rule files or folders.")
    var paths: [String] = ["rules"]

    @Option(name: .customLong("rule"), help: "Test only these rule ids.")
    var ruleIDs: [String] = []

    func run() throws {
        guard let loaded = RuleLoading.load(paths) else { throw ExitCode.failure }
        let selected = loaded.ruleSet.rules.filter { ruleIDs.isEmpty || ruleIDs.contains($0.definition.id) }
        if selected.isEmpty && !ruleIDs.isEmpty {
            throw ValidationError("no rule has the id \(ruleIDs.joined(separator: ", ")); `outguard lint` lists what is loaded")
        }
        var passed = 0
        var failed = 0
        var untested = 0
        for rule in selected {
            let report = RuleTestRunner.run(rule, ruleset: loaded.policy.ruleset)
            switch report.status {
            case .passed:
                passed += 1
                Terminal.print("PASS \(rule.definition.id) (\(report.caseCount) case\(report.caseCount == 1 ? "" : "s"))")
            case .untested(let reason):
                untested += 1
                Terminal.print("SKIP \(rule.definition.id): \(reason)")
            case .failed(let failures):
                failed += 1
                Terminal.print("FAIL \(rule.definition.id)")
                for failure in failures { Terminal.print("  \(failure)") }
            }
        }
        Terminal.print("rules: \(passed) passed, \(failed) failed, \(untested) without tests")
        if failed > 0 { throw ExitCode.failure }
    }
}
