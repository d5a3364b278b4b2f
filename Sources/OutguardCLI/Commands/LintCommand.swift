import ArgumentParser
import Foundation
import OutguardConfig

/// `outguard lint`: checks rule files and says exactly what to fix.
struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check rule files and folders; print every problem as file:line:col.",
        discussion: """
            Exits 0 when every file is valid (warnings allowed), 1 when any has an error.
            When the files are valid, each classifier hook is called once; a hook that does
            not answer is a warning.

            Examples:
              outguard lint rules/
              outguard lint rules/pii.yaml rules/secrets.yaml
            """)

    @Argument(help: "Rule files or folders (folders are searched for *.yaml and *.yml).")
    var paths: [String] = ["rules"]

    func run() throws {
        guard let loaded = RuleLoading.load(paths) else { throw ExitCode.failure }
        let environment = ProcessInfo.processInfo.environment
        for warning in HookProbing.warnings(loaded.ruleSet.hooks, environment: environment) {
            Terminal.error(warning.description)
        }
        let files = loaded.ruleSet.files.count
        let rules = loaded.ruleSet.rules.count
        Terminal.print("ok: \(files) file\(files == 1 ? "" : "s"), \(rules) rule\(rules == 1 ? "" : "s"), ruleset \(loaded.policy.ruleset)")
    }
}
