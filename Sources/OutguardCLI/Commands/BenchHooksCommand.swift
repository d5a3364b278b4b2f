import ArgumentParser
import Foundation
import NIOCore
import NIOPosix
import OutguardConfig
import OutguardHooks

/// `outguard bench hooks`: what the hook client adds to a classifier's own time.
struct BenchHooksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hooks",
        abstract: "Measure the classifier hook client's overhead per call against a running classifier.",
        discussion: """
            Times sequential calls over one kept-alive connection two ways, in alternating
            passes: a bare blocking socket that sends the same request bytes and reads the
            answer (the floor: the classifier's time plus the loopback), and the hook
            client on an event loop (JSON encoding, the cache key, the breaker and queue,
            NIO's HTTP codec, the strict answer parser). The overhead is the difference of
            the best p50s. Also times the client's own work without the network. Build in
            release mode, and start the classifier first:

              .build/classifier-venv/bin/python deploy/classifier/server.py --port 9090
              swift run -c release outguard bench hooks --url http://127.0.0.1:9090
            """)

    @Option(help: "The classifier's base URL (an IPv4 address); /v1/classify and /v1/moderations are appended.")
    var url = "http://127.0.0.1:9090"

    // Not `--iterations` and `--rounds`: `outguard bench` has those, and would take them.
    @Option(help: "Calls per pass.")
    var calls = 2000

    @Option(help: "Passes per way; the best p50 of each is compared.")
    var passes = 5

    func run() throws {
        // A 400-character answer-like sentence: one classifier segment at the default size.
        let text = String(repeating: "The quarterly report is attached; let me know if anything is unclear. ", count: 6)
            .prefix(400)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        Terminal.print("text: \(text.count) characters, \(calls) calls a pass, \(passes) passes")
        Terminal.print(
            row("protocol", "socket p50", "client p50", "overhead", "socket p90", "client p90", "own work p50"))
        for (hookProtocol, path) in [(HookProtocol.outguard, "/v1/classify"), (.openaiModeration, "/v1/moderations")] {
            let definition = HookDefinition(
                name: "bench", url: url + path, protocol: hookProtocol, timeoutMs: 5000, cacheSize: 0,
                location: SourceLocation(file: "<bench>", line: 1, column: 1))
            let client = try HookClient(definition, environment: [:])
            let categories = hookProtocol == .outguard ? ["profanity"] : ["harassment"]
            let body = HookCodec(protocol: hookProtocol).requestBody(
                text: String(text), rule: "bench.rule", categories: categories)
            guard let socket = try BareSocketClient(url: url + path, body: body) else {
                throw ValidationError("--url must be http://IPv4:PORT for the bare socket baseline")
            }
            var socketRounds: [[Double]] = []
            var clientRounds: [[Double]] = []
            for _ in 0..<max(passes, 1) {
                socketRounds.append(try socket.time(calls: calls))
                clientRounds.append(
                    try Self.time(client, text: String(text), categories: categories, calls: calls, on: group.next()))
            }
            let socketBest = socketRounds.map { Percentiles($0) }.min { $0.p50 < $1.p50 }!
            let clientBest = clientRounds.map { Percentiles($0) }.min { $0.p50 < $1.p50 }!
            let ownWork = Percentiles(
                Self.timeOwnWork(HookCodec(protocol: hookProtocol), text: String(text), categories: categories))
            Terminal.print(
                row(
                    hookProtocol.rawValue, ms(socketBest.p50), ms(clientBest.p50), ms(clientBest.p50 - socketBest.p50),
                    ms(socketBest.p90), ms(clientBest.p90), ms(ownWork.p50)))
        }
    }

    /// Sequential calls made on the event loop, each timed on the loop from the call to its answer.
    private static func time(
        _ client: HookClient, text: String, categories: [String], calls: Int, on loop: any EventLoop
    ) throws -> [Double] {
        let promise = loop.makePromise(of: [Double].self)
        loop.execute {
            var times: [Double] = []
            times.reserveCapacity(calls)
            func next() {
                guard times.count < calls else { return promise.succeed(times) }
                let start = NIODeadline.now()
                client.scores(for: text, rule: "bench.rule", categories: categories, on: loop).assumeIsolated()
                    .whenSuccess { result in
                        guard case .success = result else { return promise.fail(BenchFailure(result: result)) }
                        times.append(Double((NIODeadline.now() - start).nanoseconds) / 1e6)
                        next()
                    }
            }
            next()
        }
        return try promise.futureResult.wait()
    }

    /// The client's own CPU work per call without the network: the request body, the
    /// cache key's hash and the answer's parsing.
    private static func timeOwnWork(_ codec: HookCodec, text: String, categories: [String]) -> [Double] {
        let answer: [UInt8] =
            codec.protocol == .outguard
            ? Array(#"{"scores":{"profanity":0.0027312682601627935}}"#.utf8)
            : Array(moderationAnswer.utf8)
        return (0..<2000).map { _ in
            let start = ContinuousClock.now
            let body = codec.requestBody(text: text, rule: "bench.rule", categories: categories)
            let scores = codec.scores(from: answer, categories: categories)
            precondition(!body.isEmpty && (try? scores.get()) != nil)
            let elapsed = ContinuousClock.now - start
            return Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1e3
        }
    }

    private static let moderationAnswer =
        #"{"id":"modr-1","model":"alt-profanity-check-1.9.1","results":[{"flagged":false,"categories":{"harassment":false,"harassment/threatening":false,"hate":false,"hate/threatening":false,"illicit":false,"illicit/violent":false,"self-harm":false,"self-harm/intent":false,"self-harm/instructions":false,"sexual":false,"sexual/minors":false,"violence":false,"violence/graphic":false,"profanity":false},"category_scores":{"harassment":0.0027312682601627935,"harassment/threatening":0.0,"hate":0.0027312682601627935,"hate/threatening":0.0,"illicit":0.0,"illicit/violent":0.0,"self-harm":0.0,"self-harm/intent":0.0,"self-harm/instructions":0.0,"sexual":0.0,"sexual/minors":0.0,"violence":0.0,"violence/graphic":0.0,"profanity":0.0027312682601627935},"category_applied_input_types":{"harassment":["text"],"harassment/threatening":[],"hate":["text"],"hate/threatening":[],"illicit":[],"illicit/violent":[],"self-harm":[],"self-harm/intent":[],"self-harm/instructions":[],"sexual":[],"sexual/minors":[],"violence":[],"violence/graphic":[],"profanity":["text"]}}]}"#

    private func ms(_ value: Double) -> String { String(format: "%.3f ms", value) }

    private func row(_ name: String, _ columns: String...) -> String {
        name.padding(toLength: 18, withPad: " ", startingAt: 0)
            + columns.map { String(repeating: " ", count: max(1, 14 - $0.count)) + $0 }.joined()
    }
}

private struct BenchFailure: Error, CustomStringConvertible {
    var result: HookResult
    var description: String { "a call failed: \(result)" }
}

private struct Percentiles {
    var p50: Double
    var p90: Double

    init(_ values: [Double]) {
        let sorted = values.sorted()
        p50 = sorted[sorted.count / 2]
        p90 = sorted[min(sorted.count - 1, sorted.count * 9 / 10)]
    }
}
