import ArgumentParser
import Foundation
import OutguardEngine

/// `outguard bench`: measures the engine on answer-like texts.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure filtering speed with the given rules on 2 KB and 16 KB answers.",
        discussion: """
            Texts mix English and Japanese, clean and with findings. For each: µs per
            answer (p50, p99) and MB/s for a whole-text evaluation, and the cost of
            streaming the same text in 4–20 character pieces as a ratio to one
            whole-text evaluation; each case runs several rounds and shows the one with
            the lowest p50. Build in release mode for meaningful numbers:

              swift run -c release outguard bench --rules rules/

            `outguard bench hooks` measures the classifier hook client instead.
            """,
        subcommands: [BenchHooksCommand.self, BenchProxyCommand.self])

    @Option(help: "Rule files or folders.")
    var rules: [String] = ["rules"]

    @Option(help: "Evaluations per 2 KB case (16 KB cases run an eighth as many).")
    var iterations = 4000

    @Option(help: "Rounds per case; the round with the lowest whole-text p50 is shown, so that a noisy neighbour on a shared machine does not decide the numbers.")
    var rounds = 5

    func run() throws {
        guard let loaded = RuleLoading.load(rules) else { throw ExitCode.failure }
        let policy = loaded.policy
        Terminal.print("rules: \(policy.rules.count), ruleset \(policy.ruleset)")
        Terminal.print(row("case", "whole p50", "whole p99", "MB/s", "findings", "stream p50", "stream/whole"))
        for size in [2048, 16384] {
            for withFindings in [false, true] {
                let text = BenchmarkText.make(bytes: size, withFindings: withFindings)
                let count = size > 4096 ? max(iterations / 8, 10) : iterations
                let result = (0..<max(rounds, 1)).map { _ in Measurement.run(policy: policy, text: text, iterations: count) }
                    .min { $0.wholeP50 < $1.wholeP50 }!
                Terminal.print(row(
                    "\(size / 1024) KB \(withFindings ? "findings" : "clean")",
                    String(format: "%.1f µs", result.wholeP50), String(format: "%.1f µs", result.wholeP99),
                    String(format: "%.0f", result.megabytesPerSecond), "\(result.findings)",
                    String(format: "%.1f µs", result.streamP50), String(format: "%.2f×", result.streamP50 / result.wholeP50)))
            }
        }
    }

    private func row(_ name: String, _ columns: String...) -> String {
        name.padding(toLength: 15, withPad: " ", startingAt: 0)
            + columns.map { String(repeating: " ", count: max(1, 13 - $0.count)) + $0 }.joined()
    }
}
