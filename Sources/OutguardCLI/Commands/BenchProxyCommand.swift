import ArgumentParser
import Foundation
import OutguardEngine
import OutguardLog
import OutguardProxy

/// `outguard bench proxy`: the proxy's own work per answer, without the network.
struct BenchProxyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxy",
        abstract: "Measure the proxy's filtering of one OpenAI chat answer, streamed and not, without the network.",
        discussion: """
            The answer is bench/load.sh's: 2 KB of text, as a JSON body and as a stream of
            56 events, read all at once and one event at a time; then the JSON answer with
            three findings, without a violation log and with one (written to a temporary
            folder, in the default masked form), and the logging of that answer alone. Each
            case runs several rounds and shows the round with the lowest p50, and the CPU
            time of the whole process (the log's writer thread included) per answer over all
            rounds. Build in release mode:

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

    // To profile or count one case alone (`perf record`, `perf stat`).
    @Option(name: .customLong("case"), help: "Only the cases whose name contains this text (repeatable).")
    var only: [String] = []

    func run() async throws {
        guard let loaded = RuleLoading.load(rules) else { throw ExitCode.failure }
        let text = BenchmarkText.make(bytes: 2048, withFindings: false)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("outguard-bench-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }

        Terminal.print("rules: \(loaded.policy.rules.count); a \(text.utf8.count)-byte answer; µs per answer")
        Terminal.print("case".padding(toLength: 22, withPad: " ", startingAt: 0) + "      p50      p99      CPU")
        let cases =
            FilterBenchmark.cases(policy: loaded.policy, text: text, events: 54)
            + FilterBenchmark.loggedCases(policy: loaded.policy, text: text) { Self.makeLog(in: folder) }
        for benchCase in cases where only.isEmpty || only.contains(where: { benchCase.name.contains($0) }) {
            let numbers = await measure(benchCase)
            Terminal.print(benchCase.name.padding(toLength: 22, withPad: " ", startingAt: 0) + numbers)
        }
    }

    /// A violation log in `folder` (a file of its own each time), in the default masked form.
    private static func makeLog(in folder: URL) -> FilterBenchmark.BenchLog {
        var config = LogConfig()
        config.path = folder.appendingPathComponent("violations-\(UUID()).jsonl").path
        let writer = LogWriter<LogRecord>(config.violationFile!)
        return (ViolationLog(records: writer, captures: nil, config: config), { await writer.close() })
    }

    /// `p50 p99 CPU` of one case: the times of its best round, and the process's CPU time
    /// per answer over all its rounds and its settling.
    private func measure(_ benchCase: FilterBenchmark.Case) async -> String {
        let clock = ContinuousClock()
        let cpuBefore = ProcessCPU.now()
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
        await benchCase.settle()
        let cpu = Measurement.microseconds(ProcessCPU.now() - cpuBefore) / Double(max(passes, 1) * max(answers, 1))
        precondition(sink > 0)
        let p50 = best[best.count / 2]
        let p99 = best[min(best.count - 1, best.count * 99 / 100)]
        return String(format: "%9.1f%9.1f%9.1f", p50, p99, cpu)
    }
}

/// The CPU time all of this process's threads have used.
enum ProcessCPU {
    static func now() -> Duration {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return .seconds(time.tv_sec) + .nanoseconds(time.tv_nsec)
    }
}
