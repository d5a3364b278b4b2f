import Testing

@testable import OutguardProxy

/// DESIGN.md, transparency: when no rule fires, the client gets the upstream's body
/// byte for byte, streamed or not.
@Suite(.timeLimit(.minutes(1))) struct TransparencyTests {
    /// A clean upstream: a whole body, or a stream in pieces of 50 bytes (a cut inside
    /// every frame), so that frames held back while their text might still match must
    /// come out unchanged.
    static func clean(_ provider: Provider) -> @Sendable (RecordedRequest) -> ScriptedResponse {
        ScriptedResponse.answering(provider, Answers.clean, split: .pieces(50))
    }

    @Test(arguments: Provider.allCases)
    func nonStreamedAnswerArrivesByteForByte(provider: Provider) async throws {
        try await E2E.run(upstream: Self.clean(provider)) { e2e in
            let response = try await e2e.send(provider.request(stream: false))
            #expect(response.status == .ok)
            #expect(response.body == provider.body(Answers.clean))
            #expect(response.headers.first(name: "Content-Length") == String(response.body.count))
            #expect(response.headers.first(name: "Outguard-Action") == "pass")
            #expect(response.headers.first(name: "Outguard-Request-Id")?.isEmpty == false)
        }
    }

    @Test(arguments: Provider.allCases)
    func streamedAnswerArrivesByteForByte(provider: Provider) async throws {
        try await E2E.run(upstream: Self.clean(provider)) { e2e in
            let response = try await e2e.send(provider.request(stream: true))
            #expect(response.status == .ok)
            #expect(response.body == Array(provider.frames(Answers.clean).joined()))
            #expect(
                response.headers.first(name: "Content-Type")
                    == ResponseShapes.contentType(provider: provider, stream: true))
            #expect(response.trailers?.first(name: "Outguard-Action") == "pass")
            #expect(response.headers.first(name: "Outguard-Request-Id")?.isEmpty == false)
        }
    }
}
