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
            var sent = 0
            for read in reads { sent += read.withUnsafeBytes { filter.process($0) }.count }
            return sent + filter.finish().count
        }
        return [
            Case(name: "non-streamed") {
                switch whole.filter(body).result {
                case .unchanged: body.count
                case .rewritten(let bytes): bytes.count
                case .refused, .malformed: 0
                }
            },
            Case(name: "stream, one read") { streamed([stream]) },
            Case(name: "stream, event a read") { streamed(frames) },
        ]
    }
}
