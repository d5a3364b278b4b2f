import Testing

@testable import OutguardProxy

/// DESIGN.md, no leak: text a redacting or blocking rule matches never reaches the
/// client, in any API shape, streamed or not; a block ends the answer the provider's way.
@Suite(.timeLimit(.minutes(1))) struct NoLeakTests {
    /// Answers with `texts`, streamed in many pieces (random cuts) or whole.
    static func answering(_ provider: Provider, _ texts: [String]) -> @Sendable (RecordedRequest) -> ScriptedResponse {
        ScriptedResponse.answering(provider, texts, split: .random(seed: 5, cuts: 30))
    }

    /// Distinctive parts of each secret: none may show, not even a piece released early.
    static let secretParts = [
        Answers.email, "yamada", "example.co.jp", Answers.apiKey, "T3BlbkFJ", Answers.swearWord, "fuck",
    ]

    @Test(arguments: Provider.allCases, [false, true])
    func redactedTextNeverReachesTheClient(provider: Provider, stream: Bool) async throws {
        try await E2E.run(upstream: Self.answering(provider, Answers.leaky)) { e2e in
            let response = try await e2e.send(provider.request(stream: stream))
            #expect(response.status == .ok)
            for part in Self.secretParts { #expect(!response.body.contains(part), "\(part) leaked") }
            let texts =
                try stream
                ? ClientView.streamedAnswers(provider, response.body) : ClientView.answers(provider, response.body)
            #expect(texts == provider.answers(Answers.leakyRedacted))
            #expect(response.action == "redact")
        }
    }

    @Test(arguments: Provider.allCases)
    func blockedStreamEndsWithTheProvidersTerminalFrame(provider: Provider) async throws {
        try await E2E.run(upstream: Self.answering(provider, Answers.privateKey)) { e2e in
            let response = try await e2e.send(provider.request(stream: true))
            #expect(response.status == .ok)
            for part in ["PRIVATE KEY", "MIIEow", Answers.keyMaterial, "Keep it safe"] {
                #expect(!response.body.contains(part), "\(part) leaked")
            }
            try ClientView.expectBlockedEnding(provider, response.body, message: Answers.privateKeyMessage)
            #expect(response.trailers?.first(name: "Outguard-Action") == "block")
        }
    }

    @Test(arguments: Provider.allCases)
    func blockedAnswerCarriesTheMessageAndTheProvidersFinishReason(provider: Provider) async throws {
        try await E2E.run(upstream: Self.answering(provider, Answers.privateKey)) { e2e in
            let response = try await e2e.send(provider.request(stream: false))
            #expect(response.status == .ok)
            #expect(!response.body.contains("PRIVATE KEY") && !response.body.contains(Answers.keyMaterial))
            #expect(try ClientView.answers(provider, response.body) == [Answers.privateKeyMessage])
            let reasons: [Provider: String] = [
                .openAIChat: "content_filter", .openAICompletions: "content_filter", .openAIResponses: "content_filter",
                .anthropicMessages: "refusal", .gemini: "SAFETY", .ollamaChat: "content_filter",
                .ollamaGenerate: "content_filter",
            ]
            #expect(try ClientView.finishReason(provider, response.body) == reasons[provider])
            #expect(response.headers.first(name: "Outguard-Action") == "block")
        }
    }

    @Test(arguments: Provider.allCases)
    func blockedAsErrorIsA400InTheProvidersErrorShape(provider: Provider) async throws {
        try await E2E.run(configure: { $0.blocked = .error }, upstream: Self.answering(provider, Answers.privateKey)) {
            e2e in
            let response = try await e2e.send(provider.request(stream: false))
            #expect(response.status == .badRequest)
            #expect(ClientView.errorMessage(provider, status: 400, response.body) == Answers.privateKeyMessage)
            #expect(!response.body.contains(Answers.keyMaterial))
            #expect(response.headers.first(name: "Outguard-Action") == "block")
        }
    }

    /// `Outguard-Policy` picks the policy: brand names are shadow-only in `default`
    /// (logged, unchanged) and blocked in `strict`, which enforces every rule.
    @Test(arguments: [false, true])
    func policyHeaderPicksThePolicy(stream: Bool) async throws {
        let answer = ["Honestly, Acme Corp makes a better widget."]
        try await E2E.run(upstream: Self.answering(.openAIChat, answer)) { e2e in
            let shadow = try await e2e.send(Provider.openAIChat.request(stream: stream))
            #expect(
                shadow.body
                    == (stream ? Array(Provider.openAIChat.frames(answer).joined()) : Provider.openAIChat.body(answer)))
            #expect(shadow.action == "shadow")

            let strict = try await e2e.send(
                Provider.openAIChat.request(stream: stream, headers: [("Outguard-Policy", "strict")]))
            #expect(!strict.body.contains("Acme"))
            #expect(strict.action == "block")
            let message = "I can't discuss other vendors' products, but I'm happy to help with ours."
            if stream {
                try ClientView.expectBlockedEnding(.openAIChat, strict.body, message: message)
            } else {
                #expect(try ClientView.answers(.openAIChat, strict.body) == [message])
            }
            #expect(e2e.upstream.requests.allSatisfy { !$0.headers.contains(name: "Outguard-Policy") })
        }
    }
}
