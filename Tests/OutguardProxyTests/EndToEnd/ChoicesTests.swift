import Testing

@testable import OutguardProxy

/// OpenAI chat with `n > 1`: each choice is filtered on its own; the clean ones pass
/// unchanged, and the stream keeps every choice's own finish chunk.
@Suite(.timeLimit(.minutes(1))) struct ChoicesTests {
    static let texts = [
        "First answer: nothing to see here.",
        "Second answer: mail \(Answers.email) if you need more.",
        "Third answer: ありがとう、また明日。",
    ]
    static let shown = [texts[0], "Second answer: mail [EMAIL] if you need more.", texts[2]]

    @Test(arguments: [false, true])
    func eachChoiceIsFilteredOnItsOwn(stream: Bool) async throws {
        let provider = Provider.openAIChat
        let upstream = ScriptedResponse.answering(provider, Self.texts, split: .random(seed: 6, cuts: 30))
        try await E2E.run(upstream: upstream) { e2e in
            let response = try await e2e.send(provider.request(stream: stream))
            #expect(!response.body.contains(Answers.email))
            #expect(response.action == "redact")
            if stream {
                #expect(try ClientView.streamedAnswers(provider, response.body) == Self.shown)
                let finishes = try ClientView.frames(provider, response.body).flatMap { frame in
                    frame.json["choices"]?.items.compactMap { choice in
                        choice["finish_reason"]?.string.map { (choice["index"]?.int, $0) }
                    } ?? []
                }
                #expect(finishes.map(\.0) == [0, 1, 2])
                #expect(finishes.allSatisfy { $0.1 == "stop" })
            } else {
                #expect(try ClientView.answers(provider, response.body) == Self.shown)
            }
        }
    }
}
