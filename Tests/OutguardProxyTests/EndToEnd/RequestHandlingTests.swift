import NIOHTTP1
import Testing

@testable import OutguardProxy

/// What the proxy does with the client's request: what it refuses, where it sends it
/// (only ever the configured upstream), and which headers cross.
@Suite(.timeLimit(.minutes(1))) struct RequestHandlingTests {
    static let answer: @Sendable (RecordedRequest) -> ScriptedResponse = { _ in
        .json(Provider.openAIChat.body(Answers.clean))
    }

    @Test func bodyOverTheLimitIs413() async throws {
        try await E2E.run(configure: { $0.limits.maxRequestBytes = 1_000 }, upstream: Self.answer) { e2e in
            var request = Provider.anthropicMessages.request(stream: false)
            request.body = Array(repeating: UInt8(ascii: "x"), count: 2_000)
            let response = try await e2e.send(request)
            #expect(response.status == .payloadTooLarge)
            #expect(ClientView.errorMessage(.anthropicMessages, status: 413, response.body) != nil)
            #expect(e2e.upstream.requests.count == 0)
        }
    }

    @Test func unknownPolicyIs400() async throws {
        try await E2E.run(upstream: Self.answer) { e2e in
            let request = Provider.gemini.request(stream: false, headers: [("Outguard-Policy", "nonexistent")])
            let response = try await e2e.send(request)
            #expect(response.status == .badRequest)
            let message = try #require(ClientView.errorMessage(.gemini, status: 400, response.body))
            #expect(message.contains("nonexistent") && message.contains("strict"))
            #expect(e2e.upstream.requests.count == 0)
        }
    }

    @Test func unknownRouteIs404WhenBlocked() async throws {
        try await E2E.run(configure: { $0.unknownRoutes = .block }, upstream: Self.answer) { e2e in
            let response = try await e2e.send(TestRequest(method: .GET, uri: "/v1/other"))
            #expect(response.status == .notFound)
            #expect(ClientView.errorMessage(nil, status: 404, response.body) != nil)
            #expect(e2e.upstream.requests.count == 0)
        }
    }

    @Test func unknownRouteIsForwardedUntouchedWhenPassed() async throws {
        // Not an API Outguard filters: even an e-mail address in it passes.
        let body = Array(#"{"data":[{"id":"m","owner":"taro@example.com"}]}"#.utf8)
        try await E2E.run(upstream: { _ in .json(body) }) { e2e in
            var request = TestRequest(method: .PUT, uri: "/v1/other/thing?x=1&y=%20", body: Array("payload".utf8))
            request.headers.add(name: "Accept-Encoding", value: "gzip")
            request.headers.add(name: "X-App", value: "kept")
            let response = try await e2e.send(request)
            #expect(response.status == .ok)
            #expect(response.body == body)
            #expect(response.headers.first(name: "Outguard-Action") == "pass")
            let forwarded = try #require(e2e.upstream.requests.first)
            #expect(forwarded.method == .PUT)
            #expect(forwarded.uri == "/v1/other/thing?x=1&y=%20")
            #expect(forwarded.body == Array("payload".utf8))
            #expect(forwarded.headers.first(name: "Accept-Encoding") == "gzip")
            #expect(forwarded.headers.first(name: "X-App") == "kept")
        }
    }

    @Test func clientCannotPickTheUpstreamHost() async throws {
        try await E2E.run(upstream: Self.answer) { e2e in
            var byHost = Provider.openAIChat.request(stream: false)
            byHost.headers.add(name: "Host", value: "evil.example:8443")
            var absolute = Provider.openAIChat.request(stream: false)
            absolute.uri = "http://evil.example:9999/v1/chat/completions?api-version=1"
            absolute.headers.add(name: "Host", value: "evil.example:9999")
            for request in [byHost, absolute] {
                let response = try await e2e.send(request)
                #expect(response.status == .ok)
                #expect(response.body == Provider.openAIChat.body(Answers.clean))
            }
            let forwarded = e2e.upstream.requests
            try #require(forwarded.count == 2)
            #expect(forwarded.allSatisfy { $0.headers[canonicalForm: "host"] == ["127.0.0.1:\(e2e.upstream.port)"] })
            #expect(forwarded.map(\.uri) == ["/v1/chat/completions", "/v1/chat/completions?api-version=1"])
        }
    }

    @Test func headersCrossAsHTTPSays() async throws {
        try await E2E.run(upstream: Self.answer) { e2e in
            let request = Provider.openAIChat.request(
                stream: false,
                headers: [
                    ("Connection", "x-custom"), ("Keep-Alive", "timeout=5"), ("TE", "trailers"), ("X-Custom", "hop"),
                    ("Authorization", "Bearer sk-test-credential"), ("X-Request-Id", "req-12345"),
                    ("Accept-Encoding", "gzip, br"), ("Outguard-Policy", "default"), ("OpenAI-Organization", "org-1"),
                ])
            let response = try await e2e.send(request)
            #expect(response.status == .ok)
            #expect(response.headers.first(name: "Outguard-Request-Id") == "req-12345")
            let headers = try #require(e2e.upstream.requests.first).headers
            for name in ["Connection", "Keep-Alive", "TE", "X-Custom", "Outguard-Policy"] {
                #expect(!headers.contains(name: name), "\(name) was forwarded")
            }
            #expect(headers[canonicalForm: "authorization"] == ["Bearer sk-test-credential"])
            #expect(headers[canonicalForm: "x-request-id"] == ["req-12345"])
            #expect(headers[canonicalForm: "accept-encoding"] == ["identity"])
            #expect(headers[canonicalForm: "openai-organization"] == ["org-1"])
        }
    }

    @Test func requestIdIsMadeWhenTheClientSendsNone() async throws {
        try await E2E.run(upstream: Self.answer) { e2e in
            let response = try await e2e.send(Provider.openAIChat.request(stream: false))
            let id = try #require(response.headers.first(name: "Outguard-Request-Id"))
            #expect(id.hasPrefix("og-") && id.count == 19)
            #expect(e2e.upstream.requests.first?.headers.first(name: "X-Request-Id") == id)
        }
    }
}
