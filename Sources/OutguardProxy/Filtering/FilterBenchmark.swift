import NIOConcurrencyHelpers
public import OutguardEngine

/// The proxy's own work on one answer, without the network: what `outguard bench proxy`
/// times. The load benchmark (bench/load.sh) shows the whole daemon, with wrk and nginx
/// on the same cores; this isolates the filtering (framing, JSON, adapter, relay,
/// engine), so a change to it can be judged on its own.
public enum FilterBenchmark {
    /// One way an answer reaches the proxy.
    public struct Case: Sendable {
        public let name: String
        /// Filters the answer once; returns the bytes sent on (so the work is not dropped).
        public let run: @Sendable () -> Int
        /// Runs after the case's last answer: what it left to other threads is done.
        public let settle: @Sendable () async -> Void

        init(name: String, settle: @escaping @Sendable () async -> Void = {}, run: @escaping @Sendable () -> Int) {
            self.name = name
            self.run = run
            self.settle = settle
        }
    }

    /// The text bench/load.sh puts before its answer to measure the log: three findings
    /// (two addresses and a phone number), each redacted by the shipped packs.
    static let findingsLead = "Write to taro.yamada@example.co.jp or sales@example.com, or call 03-1234-5678. "

    /// A violation log of the benchmark's own, and what closes it.
    public typealias BenchLog = (log: ViolationLog, close: @Sendable () async -> Void)

    /// The JSON answer with `findingsLead` before `text`, filtered as the daemon does
    /// without a log and then with one: the violation log's cost per response, three
    /// violation records and a request record each; then the logging alone, the answer
    /// filtered once beforehand, so the log's own cost is not lost in the filter's noise.
    /// Each logged case gets its log from `makeLog` and settles by closing it, so the
    /// writer thread's work is counted too.
    public static func loggedCases(policy: Policy, text: String, makeLog: () -> BenchLog) -> [Case] {
        let body = ResponseShapes.body(
            provider: .openAIChat, model: "gpt-4o-mini", texts: [findingsLead + text], id: "bench")
        let filter = BodyFilter(
            adapter: OpenAIChatAdapter(), policy: policy, options: FilterOptions(), failClosed: true,
            refuseWithError: false)
        // Every response has its own id, as in the daemon: the log remembers each one.
        let served = NIOLockedValueBox(0)
        let loggedPolicy = LoggedPolicy(name: "default", ruleset: policy.ruleset, rules: policy.rules)
        @Sendable func report(_ texts: [FilteredText], _ outcome: Verdict.Outcome, to log: ViolationLog) {
            let id = "og-bench-\(served.withLockedValue { $0 += 1; return $0 })"
            log.recentRequests.remember(id)
            log.report(
                ResponseFacts(
                    requestID: id, policy: loggedPolicy, provider: .openAIChat,
                    model: "gpt-4o-mini", stream: false, upstreamStatus: 200, latencyMs: 1.5),
                texts: texts, outcome: outcome)
        }
        let (filtered, alone) = (makeLog(), makeLog())
        let (_, texts, outcome) = filter.filter(body)
        return [
            Case(name: "3 findings, no log") { sent(filter.filter(body).result, for: body) },
            Case(name: "3 findings, logged", settle: filtered.close) {
                let (result, texts, outcome) = filter.filter(body)
                report(texts, outcome, to: filtered.log)
                return sent(result, for: body)
            },
            Case(name: "3 findings, log alone", settle: alone.close) {
                report(texts, outcome, to: alone.log)
                return texts.count
            },
        ]
    }

    /// An OpenAI chat completion carrying `text`: the JSON body, the stream in `events`
    /// content events read all at once (a fast upstream under load), and the same
    /// stream read one event at a time (a model writing as it thinks).
    public static func cases(policy: Policy, text: String, events: Int) -> [Case] {
        let words = EchoPieces.split(text)
        let size = max(1, (words.count + events - 1) / events)
        let pieces = stride(from: 0, to: words.count, by: size).map { words[$0..<min($0 + size, words.count)].joined() }
        let body = ResponseShapes.body(provider: .openAIChat, model: "gpt-4o-mini", texts: [text], id: "bench")
        let frames = ResponseShapes.streamFrames(
            provider: .openAIChat, model: "gpt-4o-mini", pieces: [pieces], id: "bench", includeUsage: false)
        let stream = frames.flatMap { $0 }
        let whole = BodyFilter(
            adapter: OpenAIChatAdapter(), policy: policy, options: FilterOptions(), failClosed: true,
            refuseWithError: false)
        @Sendable func streamed(_ reads: [[UInt8]]) -> Int {
            let filter = StreamBodyFilter(
                adapter: OpenAIChatAdapter(), framing: .sse, policy: policy, options: FilterOptions(), failClosed: true,
                keepsText: true)
            var total = 0
            for read in reads { total += read.withUnsafeBytes { filter.process($0) }.readableBytes }
            return total + filter.finish().readableBytes
        }
        return [
            Case(name: "non-streamed") { sent(whole.filter(body).result, for: body) },
            Case(name: "stream, one read") { streamed([stream]) },
            Case(name: "stream, event a read") { streamed(frames) },
        ]
    }

    /// The bytes the daemon sends for `body` filtered to `result`.
    private static func sent(_ result: BodyFilter.Result, for body: [UInt8]) -> Int {
        switch result {
        case .unchanged: body.count
        case .rewritten(let bytes): bytes.count
        case .refused, .malformed: 0
        }
    }
}
