import NIOCore
import NIOHTTP1
import OutguardConfig
import OutguardEngine
import OutguardTestSupport
import Testing

@testable import OutguardProxy

/// What the client gets when the upstream errs, is gone, stalls or sends what cannot
/// be read: the upstream's own errors unchanged, the proxy's in the provider's shape.
@Suite(.timeLimit(.minutes(1))) struct UpstreamFaultTests {
    @Test(arguments: Provider.allCases)
    func upstreamErrorsPassUnchanged(provider: Provider) async throws {
        let statuses: [HTTPResponseStatus] = [
            .badRequest, .unauthorized, .tooManyRequests, .internalServerError, .serviceUnavailable,
        ]
        let upstream: @Sendable (RecordedRequest) -> ScriptedResponse = { request in
            let code = request.headers.first(name: "X-Status").flatMap(Int.init) ?? 500
            let status = HTTPResponseStatus(statusCode: code)
            return .json(Self.upstreamError(status), status: status)
        }
        try await E2E.run(upstream: upstream) { e2e in
            for status in statuses {
                for stream in [false, true] {
                    let request = provider.request(stream: stream, headers: [("X-Status", "\(status.code)")])
                    let response = try await e2e.send(request)
                    #expect(response.status == status)
                    #expect(response.body == Self.upstreamError(status))
                }
            }
        }
    }

    static func upstreamError(_ status: HTTPResponseStatus) -> [UInt8] {
        Array(#"{"error":{"message":"upstream says \#(status.code)","type":"x","code":null}}"#.utf8)
    }

    @Test(arguments: Provider.allCases)
    func unreachableUpstreamIs502InTheProvidersShape(provider: Provider) async throws {
        let refusing = try RefusingPort()
        try await E2E.run(
            configure: { $0.upstream = .http(scheme: "http", host: "127.0.0.1", port: refusing.port, basePath: "") },
            upstream: { _ in .hangUp }
        ) { e2e in
            for stream in [false, true] {
                let response = try await e2e.send(provider.request(stream: stream))
                #expect(response.status == .badGateway)
                #expect(
                    ClientView.errorMessage(provider, status: 502, response.body)?.isEmpty == false, "\(response.text)")
                #expect(response.headers.first(name: "Outguard-Request-Id") != nil)
            }
        }
        withExtendedLifetime(refusing) {}
    }

    /// Hangs up on requests that ask for it (`X-Hang-Up`) on its first connection only.
    static let hangingUp: @Sendable (RecordedRequest) -> ScriptedResponse = { request in
        request.connection == 0 && request.headers.contains(name: "X-Hang-Up")
            ? .hangUp : .json(Provider.openAIChat.body(Answers.clean))
    }

    @Test func upstreamHangingUpOnANewConnectionIs502() async throws {
        try await E2E.run(upstream: Self.hangingUp) { e2e in
            let response = try await e2e.send(Provider.openAIChat.request(stream: false, headers: [("X-Hang-Up", "1")]))
            #expect(response.status == .badGateway)
            #expect(ClientView.errorMessage(.openAIChat, status: 502, response.body) != nil)
            // A request is sent again only when a kept-alive connection had gone stale.
            #expect(e2e.upstream.requests.count == 1)
        }
    }

    /// A kept-alive connection the upstream closes as the next request arrives is the
    /// usual race of keep-alive: the request is sent once more on a new connection.
    @Test func upstreamHangingUpOnAKeptAliveConnectionIsRetriedOnce() async throws {
        try await E2E.run(upstream: Self.hangingUp) { e2e in
            let first = try await e2e.send(Provider.openAIChat.request(stream: false))
            let second = try await e2e.send(Provider.openAIChat.request(stream: false, headers: [("X-Hang-Up", "1")]))
            #expect(first.status == .ok && second.status == .ok)
            #expect(second.body == Provider.openAIChat.body(Answers.clean))
            #expect(e2e.upstream.requests.map(\.connection) == [0, 0, 1])
        }
    }

    @Test(arguments: [Provider.openAIChat, .anthropicMessages, .gemini, .ollamaChat])
    func silentUpstreamIs504AfterTheResponseTimeout(provider: Provider) async throws {
        try await E2E.run(configure: { $0.timeouts.responseMs = 300 }, upstream: { _ in .neverAnswer }) { e2e in
            for stream in [false, true] {
                let clock = ContinuousClock()
                let start = clock.now
                let response = try await e2e.send(provider.request(stream: stream))
                #expect(response.status == .gatewayTimeout)
                // Long before the base config's response timeout, even on a busy machine.
                #expect(clock.now - start < .seconds(8))
                #expect(
                    ClientView.errorMessage(provider, status: 504, response.body)?.isEmpty == false, "\(response.text)")
            }
            // Each stalled request is dropped with its connection.
            #expect(await Bounded.eventually(within: .seconds(2)) { e2e.upstream.closedConnections == [0, 1] })
        }
    }

    /// Deadlines are watched per event loop, all together: requests that time out
    /// among others that are answered late but in time leave the others watched and
    /// served, whatever order they end in.
    @Test func timeoutsAmongAnsweredRequestsOnlyEndTheirOwn() async throws {
        let provider = Provider.openAIChat
        let answer = ScriptedResponse.answering(provider, Answers.clean)
        let upstream: @Sendable (RecordedRequest) -> ScriptedResponse = { request in
            guard request.headers.first(name: "X-Stall") == nil else { return .neverAnswer }
            var late = answer(request)
            late.headDelay = .milliseconds(100)
            return late
        }
        // 2 s against a 100 ms answer: the whole suite runs at once, and on a slow machine
        // 600 ms ran out for answered requests too.
        try await E2E.run(configure: { $0.timeouts.responseMs = 2000 }, upstream: upstream) { e2e in
            let stalls = [false, true, false, true, false, false, true]
            let statuses = try await withThrowingTaskGroup(of: (Int, HTTPResponseStatus).self) { group in
                for (index, stall) in stalls.enumerated() {
                    group.addTask {
                        let request = provider.request(stream: index % 2 == 0, headers: stall ? [("X-Stall", "1")] : [])
                        return (index, try await e2e.send(request).status)
                    }
                }
                var statuses = Array(repeating: HTTPResponseStatus.ok, count: stalls.count)
                for try await (index, status) in group { statuses[index] = status }
                return statuses
            }
            #expect(statuses == stalls.map { $0 ? .gatewayTimeout : .ok })
        }
    }

    /// An upstream slower than usual, but within the timeouts, is simply waited for.
    @Test(arguments: [false, true])
    func slowUpstreamWithinTheTimeoutsIsServed(stream: Bool) async throws {
        let provider = Provider.openAIResponses
        let answer = ScriptedResponse.answering(provider, Answers.clean, delay: .milliseconds(10))
        let upstream: @Sendable (RecordedRequest) -> ScriptedResponse = { request in
            var slow = answer(request)
            slow.headDelay = .milliseconds(250)
            return slow
        }
        try await E2E.run(configure: { $0.timeouts.responseMs = 10_000 }, upstream: upstream) { e2e in
            let response = try await e2e.send(provider.request(stream: stream))
            #expect(response.status == .ok)
            #expect(
                response.body
                    == (stream ? Array(provider.frames(Answers.clean).joined()) : provider.body(Answers.clean)))
        }
    }

    /// A stream the upstream breaks off is broken off for the client too: it must not
    /// end cleanly, or a cut answer would look complete.
    @Test(arguments: [Provider.openAIChat, .ollamaGenerate])
    func streamTheUpstreamBreaksOffIsNotEndedCleanly(provider: Provider) async throws {
        let frames = provider.frames(Answers.clean)
        var broken = ScriptedResponse.stream(provider, chunks: Array(frames.prefix(frames.count / 2)))
        broken.ending = .close
        try await E2E.run(upstream: { [broken] _ in broken }) { e2e in
            await #expect(throws: (any Error).self) {
                try await e2e.send(provider.request(stream: true))
            }
        }
    }

    /// A whole (non-streamed) answer whose body stops halfway: the client must not wait
    /// forever; silence longer than `idle_ms` is a timeout here too.
    @Test(arguments: [Provider.openAIChat, .gemini])
    func upstreamFallingSilentMidBodyIs504(provider: Provider) async throws {
        let body = provider.body(Answers.clean)
        var stalling = ScriptedResponse.json(body, chunks: [Array(body.prefix(body.count / 2))])
        stalling.ending = .hang
        try await E2E.run(configure: { $0.timeouts.idleMs = 300 }, upstream: { [stalling] _ in stalling }) { e2e in
            let response = try await e2e.send(provider.request(stream: false))
            #expect(response.status == .gatewayTimeout)
            #expect(ClientView.errorMessage(provider, status: 504, response.body)?.isEmpty == false, "\(response.text)")
            #expect(await Bounded.eventually(within: .seconds(2)) { e2e.upstream.closedConnections.contains(0) })
        }
    }

    /// `limits.max_header_bytes` bounds the upstream's response head too.
    @Test func upstreamHeadOverTheLimitIs502() async throws {
        var huge = ScriptedResponse.json(Provider.openAIChat.body(Answers.clean))
        huge.headers.add(name: "X-Padding", value: String(repeating: "p", count: 9_000))
        try await E2E.run(configure: { $0.limits.maxHeaderBytes = 8_192 }, upstream: { [huge] _ in huge }) { e2e in
            let response = try await e2e.send(Provider.openAIChat.request(stream: false))
            #expect(response.status == .badGateway)
            #expect(ClientView.errorMessage(.openAIChat, status: 502, response.body) != nil)
        }
    }

    @Test(arguments: Provider.allCases, [FailMode.closed, .open])
    func malformedJSONBody(provider: Provider, failMode: FailMode) async throws {
        let broken = Array(provider.body(Answers.clean).dropLast(3))
        try await E2E.run(configure: { $0.failMode = failMode }, upstream: { _ in .json(broken) }) { e2e in
            let response = try await e2e.send(provider.request(stream: false))
            switch failMode {
            case .closed:
                #expect(response.status == .badGateway)
                #expect(ClientView.errorMessage(provider, status: 502, response.body)?.isEmpty == false)
            case .open:
                #expect(response.status == .ok)
                #expect(response.body == broken)
            }
        }
    }

    @Test(arguments: Provider.allCases, [FailMode.closed, .open])
    func malformedStreamFrame(provider: Provider, failMode: FailMode) async throws {
        var frames = provider.frames(Answers.clean)
        let bad = Array((provider.streamFraming == .sse ? "data: {\"broken\": \n\n" : "{\"broken\": \n").utf8)
        frames.insert(bad, at: 3)
        let upstream = ScriptedResponse.stream(provider, chunks: frames)
        try await E2E.run(configure: { $0.failMode = failMode }, upstream: { _ in upstream }) { e2e in
            let response = try await e2e.send(provider.request(stream: true))
            #expect(response.status == .ok)
            switch failMode {
            case .closed:
                #expect(!response.body.contains("broken"))
                try ClientView.expectBlockedEnding(provider, response.body, message: Policy.uncheckedMessage)
                #expect(response.trailers?.first(name: "Outguard-Action") == "block")
            case .open:
                #expect(response.body == Array(frames.joined()))
            }
        }
    }
}
