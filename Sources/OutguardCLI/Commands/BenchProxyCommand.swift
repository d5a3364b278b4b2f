import ArgumentParser
import OutguardEngine
import OutguardProxy

/// `outguard bench proxy`: the proxy's own work per answer, without the network.
struct BenchProxyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxy",
        abstract: "Measure the proxy's filtering of one OpenAI chat answer, streamed and not, without the network.",
        discussion: """
            The answer is bench/load.sh's: 2 KB of text, as a JSON body and as a stream of
            56 events, read all at once and one event at a time. Each case runs several
            rounds and shows the round with the lowest p50. Build in release mode:

              swift run -c release outguard bench proxy --rule-paths rules/
            """)

    // Not `--rules`, `--iterations` and `--rounds`: `outguard bench` has those, and
    // would take them.
    @Option(name: .customLong("rule-paths"), help: "Rule files or folders.")
    var rules: [String] = ["rules"]

    @Option(help: "Answers per round.")
    var answers = 2000

    @Option(help: "Rounds per case.")
    var passes = 5

    func run() throws {
        guard let loaded = RuleLoading.load(rules) else { throw ExitCode.failure }
        let text = BenchmarkText.make(bytes: 2048, withFindings: false)
        Terminal.print("rules: \(loaded.policy.rules.count); a \(text.utf8.count)-byte answer; µs per answer")
        Terminal.print("case".padding(toLength: 22, withPad: " ", startingAt: 0) + "      p50      p99")
        let clock = ContinuousClock()
        for benchCase in FilterBenchmark.cases(policy: loaded.policy, text: text, events: 54) {
            var best: [Double] = []
            var sink = 0
            for _ in 0..<max(passes, 1) {
                var times: [Double] = []
                times.reserveCapacity(answers)
                for _ in 0..<max(answers, 1) {
                    let started = clock.now
                    sink &+= benchCase.run()
                    times.append(Measurement.microseconds(clock.now - started))
                }
                times.sort()
                if best.isEmpty || times[times.count / 2] < best[best.count / 2] { best = times }
            }
            precondition(sink > 0)
            let p50 = best[best.count / 2]
            let p99 = best[min(best.count - 1, best.count * 99 / 100)]
            Terminal.print(
                benchCase.name.padding(toLength: 22, withPad: " ", startingAt: 0)
                    + String(format: "%9.1f%9.1f", p50, p99))
        }
    }
}
