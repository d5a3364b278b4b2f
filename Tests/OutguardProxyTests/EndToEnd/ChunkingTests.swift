import Testing

@testable import OutguardProxy

/// DESIGN.md, chunking invariance: however the upstream's stream is cut into reads,
/// the text per choice the client gets equals what the proxy makes of the same answer
/// sent whole. The answers carry redactions that span many pieces.
///
/// Serialized: thousands of one-byte chunks keep an upstream and a proxy thread busy,
/// and seven such pairs at once would starve the timing-sensitive tests running beside.
@Suite(.serialized, .timeLimit(.minutes(1))) struct ChunkingTests {
    @Test(arguments: Provider.allCases)
    func streamedTextEqualsNonStreamedTextForEverySplit(provider: Provider) async throws {
        let stream = Array(provider.frames(Answers.leaky).joined())
        let upstream: @Sendable (RecordedRequest) -> ScriptedResponse = { request in
            guard request.wantsStream, let index = request.headers.first(name: "X-Split").flatMap(Int.init) else {
                return .json(provider.body(Answers.leaky))
            }
            let split = Split.all[index]
            return .stream(provider, chunks: split.apply(to: stream), delay: split.delay)
        }
        try await E2E.run(upstream: upstream) { e2e in
            let whole = try await e2e.send(provider.request(stream: false))
            let expected = try ClientView.answers(provider, whole.body)
            #expect(expected == provider.answers(Answers.leakyRedacted))
            for (index, split) in Split.all.enumerated() {
                // Thousands of one-byte chunks take a while in a debug build on a busy machine.
                let request = provider.request(stream: true, headers: [("X-Split", "\(index)")])
                let response = try await e2e.send(request, within: .seconds(40))
                #expect(try ClientView.streamedAnswers(provider, response.body) == expected, "\(split)")
                #expect(response.trailers?.first(name: "Outguard-Action") == "redact", "\(split)")
            }
            #expect(e2e.upstream.requests.count == 1 + Split.all.count)
        }
    }
}
