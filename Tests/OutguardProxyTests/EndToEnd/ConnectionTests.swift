import NIOCore
import Testing

@testable import OutguardProxy

/// Connections on both sides: keep-alive and reuse, a client that leaves mid-stream,
/// bytes that are not HTTP, heads over the limit, and shutdown with a stream in flight.
@Suite(.timeLimit(.minutes(1))) struct ConnectionTests {
    @Test func requestsShareOneClientConnectionAndOneUpstreamConnection() async throws {
        let provider = Provider.openAIChat
        try await E2E.run(upstream: ScriptedResponse.answering(provider, Answers.clean)) { e2e in
            try await e2e.connection { connection in
                for stream in [false, true, false, true] {
                    let response = try await connection.send(provider.request(stream: stream))
                    #expect(response.status == .ok)
                    #expect(
                        response.body
                            == (stream ? Array(provider.frames(Answers.clean).joined()) : provider.body(Answers.clean)))
                }
            }
            #expect(e2e.upstream.requests.map(\.connection) == [0, 0, 0, 0])
            #expect(e2e.upstream.acceptedConnections == 1)
        }
    }

    /// Requests sent before the answer to the one before them (HTTP pipelining) wait
    /// and are answered in order on their connection, which then serves on.
    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let provider = Provider.openAIChat
        try await E2E.run(
            upstream: ScriptedResponse.answering(provider, Answers.clean, delay: .milliseconds(20))
        ) { e2e in
            try await e2e.connection { connection in
                // Both leave before the first answer can arrive (the upstream waits 20 ms).
                try await connection.write(provider.request(stream: true))
                try await connection.write(provider.request(stream: false))
                let streamed = try await connection.readResponse(after: try await connection.readHead())
                let whole = try await connection.readResponse(after: try await connection.readHead())
                #expect(streamed.body == Array(provider.frames(Answers.clean).joined()))
                #expect(whole.body == provider.body(Answers.clean))
                #expect(try await connection.send(provider.request(stream: false)).status == .ok)
            }
            #expect(e2e.upstream.requests.count == 3)
            #expect(e2e.upstream.acceptedConnections == 1)
        }
    }

    @Test(arguments: Provider.allCases)
    func clientLeavingMidStreamClosesTheUpstreamConnection(provider: Provider) async throws {
        var stalling = ScriptedResponse.stream(provider, chunks: Array(provider.frames(Answers.clean).prefix(2)))
        stalling.ending = .hang
        try await E2E.run(upstream: { [stalling] _ in stalling }) { e2e in
            try await e2e.connection { connection in
                try await connection.write(provider.request(stream: true))
                #expect(try await connection.readHead().status == .ok)
            }
            #expect(await Bounded.eventually(within: .seconds(3)) { e2e.upstream.closedConnections.contains(0) })
        }
    }

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func bytesThatAreNotHTTPAreRefusedAndTheProxyServesOn(seed: UInt64) async throws {
        try await E2E.run(upstream: ScriptedResponse.answering(.openAIChat, Answers.clean)) { e2e in
            var generator = SplitMix64(seed: seed)
            let garbage = (0..<512).map { _ in UInt8.random(in: 0...255, using: &generator) } + Array("\r\n\r\n".utf8)
            let outcome = try await RawClient.exchange(port: e2e.proxy.port, bytes: garbage)
            let (closed, answer) = (outcome.closedByProxy, outcome.text.prefix(80))
            #expect(closed || answer.hasPrefix("HTTP/1.1 4"), "\(answer)")
            try await Self.expectServing(e2e)
        }
    }

    /// A head over `limits.max_header_bytes` (here 8 KB), and one over anything (200 KB).
    @Test(arguments: [9_000, 200_000])
    func headOverTheLimitIsRefusedAndTheProxyServesOn(headerBytes: Int) async throws {
        try await E2E.run(
            configure: { $0.limits.maxHeaderBytes = 8_192 },
            upstream: ScriptedResponse.answering(.openAIChat, Answers.clean)
        ) { e2e in
            let head =
                "POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nX-Big: "
                + String(repeating: "a", count: headerBytes) + "\r\nContent-Length: 0\r\n\r\n"
            let outcome = try await RawClient.exchange(port: e2e.proxy.port, bytes: Array(head.utf8))
            let (closed, answer) = (outcome.closedByProxy, outcome.text)
            #expect(closed)
            // A head far over the limit may be cut off (connection reset) while it is still being sent.
            if headerBytes < 100_000 || !answer.isEmpty {
                #expect(answer.hasPrefix("HTTP/1.1 431"), "\(answer.prefix(80))")
                #expect(answer.contains("\"invalid_request_error\""), "\(answer)")
            }
            #expect(e2e.upstream.requests.count == 0)
            try await Self.expectServing(e2e)
        }
    }

    /// The proxy still answers a normal request.
    static func expectServing(_ e2e: E2E, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let response = try await e2e.send(Provider.openAIChat.request(stream: false))
        #expect(response.status == .ok, sourceLocation: sourceLocation)
        #expect(response.body == Provider.openAIChat.body(Answers.clean), sourceLocation: sourceLocation)
    }

    /// Writes to the client are flushed once per read of the upstream: a slow stream's
    /// head leaves before the model's first event, and each event before the next one
    /// arrives.
    @Test func aSlowStreamsHeadAndEventsLeaveAsTheyArrive() async throws {
        let provider = Provider.openAIChat
        let frames = provider.frames(Answers.clean)
        // Three writes, `gap` apart: the role, the next frame, the rest. The gap is wide
        // because the whole suite runs at once, and on a slow machine connecting and
        // sending the request took more than 0.7 s.
        let gap = Duration.seconds(2)
        let chunks = [frames[0], frames[1], Array(frames[2...].joined())]
        try await E2E.run(upstream: { _ in .stream(provider, chunks: chunks, delay: .seconds(2)) }) { e2e in
            try await e2e.connection { connection in
                let clock = ContinuousClock()
                let start = clock.now
                try await connection.write(provider.request(stream: true))
                let head = try await connection.readHead()
                #expect(head.status == .ok)
                #expect(clock.now - start < gap, "the head waited for the first event")
                // The first event carries no text (the role), so nothing holds it back.
                let first = try await connection.readBodyPart()
                #expect(first == frames[0])
                #expect(clock.now - start < gap * 2, "the first event waited for the second")
            }
        }
    }

    @Test func streamInFlightCompletesDuringGracefulShutdown() async throws {
        let provider = Provider.anthropicMessages
        let frames = provider.frames(Answers.clean)
        try await E2E.run(
            configure: { $0.timeouts.shutdownGraceMs = 10_000 },
            upstream: ScriptedResponse.answering(provider, Answers.clean, delay: .milliseconds(20))
        ) { e2e in
            let response = try await e2e.connection { connection in
                try await connection.write(provider.request(stream: true))
                let head = try await connection.readHead()
                await e2e.proxy.beginShutdown()
                return try await connection.readResponse(after: head)
            }
            #expect(response.status == .ok)
            #expect(response.body == Array(frames.joined()))
            #expect(response.trailers?.first(name: "Outguard-Action") == "pass")
            #expect(await Bounded.eventually(within: .seconds(5)) { e2e.proxy.isStopped })
        }
    }
}
