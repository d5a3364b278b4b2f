import NIOHTTP1

@testable import OutguardProxy

/// Requests to each provider's route, and the exact bytes an upstream of that
/// provider answers with (fixed ids and timestamps, so bytes can be compared).
extension Provider {
    /// The APIs that can carry several answers in one response.
    var hasChoices: Bool { ![.ollamaChat, .ollamaGenerate].contains(self) }

    func path(stream: Bool) -> String {
        switch self {
        case .openAIChat: "/v1/chat/completions"
        case .openAICompletions: "/v1/completions"
        case .openAIResponses: "/v1/responses"
        case .anthropicMessages: "/v1/messages"
        case .gemini:
            stream
                ? "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"
                : "/v1beta/models/gemini-2.5-flash:generateContent"
        case .ollamaChat: "/api/chat"
        case .ollamaGenerate: "/api/generate"
        }
    }

    /// A request to this API. The proxy does not read it; the body only looks real.
    func request(stream: Bool, headers: [(String, String)] = []) -> TestRequest {
        let body = #"{"model":"test-model","stream":\#(stream),"messages":[{"role":"user","content":"Hi"}]}"#
        var request = TestRequest(uri: path(stream: stream), headers: HTTPHeaders(headers), body: Array(body.utf8))
        request.headers.add(name: "Content-Type", value: "application/json")
        return request
    }

    /// `texts` as this API can answer them: Ollama has room for one answer only.
    func answers(_ texts: [String]) -> [String] { hasChoices ? texts : Array(texts.prefix(1)) }

    /// A whole non-streamed answer.
    func body(_ texts: [String]) -> [UInt8] {
        ResponseShapes.body(
            provider: self, model: "test-model", texts: answers(texts), id: "e2e", created: Answers.created)
    }

    /// A streamed answer, frame by frame, each text in word-sized pieces.
    func frames(_ texts: [String]) -> [[UInt8]] {
        ResponseShapes.streamFrames(
            provider: self, model: "test-model", pieces: answers(texts).map(EchoPieces.split), id: "e2e",
            includeUsage: true, created: Answers.created)
    }
}

/// Answer texts the tests use, and what the shipped rules make of them.
enum Answers {
    static let created = 1_700_000_000

    /// Fires no rule: quotes, escapes, a tab, Japanese and an emoji with a modifier.
    static let clean = [
        "He said \"hi\"\\ and left.\n改行の後に日本語テキスト。\tThe café opens at nine 👋🏽.",
        "A second answer: plain words, ünïcödé, and 絵文字👍🏽 too.",
    ]

    static let email = "taro.yamada@example.co.jp"
    static let apiKey = "sk-FAKEa1B2c3D4e5F6g7H8T3BlbkFJi9J0k1L2m3N4o5P6q7R8"
    static let swearWord = "fucking"

    /// An e-mail address, an OpenAI key and a swear word: all redacted. Short, because
    /// the chunking tests send these streams one byte at a time.
    static let leaky = [
        "Mail \(email) — 日本語OK — key \(apiKey), \(swearWord) easy.",
        "Clean: 本当に。",
    ]
    /// `leaky` as the proxy shows it.
    static let leakyRedacted = [
        "Mail [EMAIL] — 日本語OK — key [OPENAI_KEY], **** easy.",
        "Clean: 本当に。",
    ]

    /// Key material the secrets pack blocks (`secrets.private-key`), after some clean text.
    static let keyMaterial = "MIIEowIBAAKCAQEAFAKEFAKEFAKEFAKEFAKEFAKE"
    static let privateKey = [
        "Sure, here is the key you asked for:\n-----BEGIN RSA PRIVATE KEY-----\n\(keyMaterial)\n"
            + "-----END RSA PRIVATE KEY-----\nKeep it safe."
    ]
    static let privateKeyMessage =
        "This answer contained a private key and was withheld. Never share private keys; rotate the key if it was real."
}
