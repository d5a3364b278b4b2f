import ArgumentParser
import Foundation
import OutguardConfig
import OutguardLog

/// `outguard replay`: what a rule change would do to real traffic, before it ships.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Re-run captured answers under changed rules; list what fires differently.",
        discussion: """
            Filters every captured text (the daemon's `capture:` file) under the new
            rules and under the old ones (--against; without it, the rules of the
            config, so the question is what the change does to what runs now). Each
            response is filtered with its policy as the config defines it (its packs,
            rules and mode), or with --policy for all; a policy the config does not
            define means every rule. Per rule it lists the responses it newly fires on,
            stops firing on, fires on with another action or mode, or fires on at other
            places. Lines that cannot be read are counted and skipped.

            Examples:
              outguard replay --capture var/capture.jsonl --rules rules-new/
              outguard replay --capture 'var/*.capture.jsonl' --rules rules-new/ --json
              outguard replay --capture var/capture.jsonl --rules new/ --against old/
            """)

    @Option(parsing: .upToNextOption, help: "Capture files or globs; each brings its rotated files (.1, .2, …).")
    var capture: [String]

    @Option(parsing: .upToNextOption, help: "The new rule files or folders.")
    var rules: [String]

    @Option(parsing: .upToNextOption, help: "The old rule files or folders (default: the config's rules).")
    var against: [String] = []

    @Option(help: "The config whose policies apply (default: ./outguard.yaml when it exists).")
    var config: String?

    @Option(help: "Filter every response with this policy of the config, not the one it was captured with.")
    var policy: String?

    @Flag(help: "Print the report as JSON, with every request id.")
    var json = false

    /// Skipped lines are listed up to this many; a wrong file would otherwise print every line.
    static let listedProblems = 10

    func run() throws {
        let settings = try DaemonConfig.load(config)
        let oldPaths = against.isEmpty ? settings.rules : against
        guard let new = ReplayRules.load(rules, config: settings),
            let old = ReplayRules.load(oldPaths, config: settings)
        else { throw ExitCode.failure }
        if let policy, new.named[policy] == nil {
            let names = new.named.keys.sorted()
            let hint =
                Suggestion.closest(to: policy, among: names).map { "did you mean \($0)?" }
                ?? "the config defines: \(names.joined(separator: ", "))"
            throw ValidationError("no policy is called \(policy); \(hint)")
        }

        // A capture file brings the files it was rotated to, as the configured log does.
        var files: [String] = []
        do {
            for path in capture {
                let family =
                    path.contains(where: { "*?[".contains($0) })
                    ? try LogFiles.named([path]) : try LogFiles.rotated(from: path)
                files += family.paths.filter { !files.contains($0) }
            }
        } catch {
            throw ValidationError("\(error); check the capture path or glob")
        }
        let captured = CaptureReader(files: files)
        for problem in captured.problems.prefix(Self.listedProblems) { Terminal.error(problem.description) }
        if captured.problems.count > Self.listedProblems {
            Terminal.error("… and \(captured.problems.count - Self.listedProblems) more bad lines, skipped too")
        }
        guard !captured.responses.isEmpty else {
            throw ValidationError("\(files.joined(separator: ", ")) holds no readable responses to replay")
        }

        let report = ReplayReport(responses: captured.responses, old: old, new: new, policyName: policy)
        if json {
            Terminal.print(try ReplayJSON.encode(report, badLines: captured.problems.count))
            return
        }
        let oldName =
            against.isEmpty ? "\(oldPaths.joined(separator: " ")) (the config's rules)" : against.joined(separator: " ")
        Terminal.print("new: \(rules.joined(separator: " ")) \(new.ruleset)")
        Terminal.print("old: \(oldName) \(old.ruleset)")
        ReplayTable.lines(report, badLines: captured.problems.count).forEach(Terminal.print)
    }

}
