/// Builds response bodies exactly as each provider's API returns them: what the
/// built-in `mock:echo` upstream answers, and what tests feed the proxy as upstream
/// output.
///
/// `id` is the unique part of a response id; each provider's prefix (`chatcmpl-`,
/// `cmpl-`, `resp_`, `msg_`) is added here. `created` (seconds since 1970) defaults to
/// now and is a parameter so tests get fixed bytes. `promptTokens` fills the usage
/// fields; `TokenEstimate.count(request.text)` is the mock's figure.
enum ResponseShapes {
    /// A complete non-streamed JSON response whose answer text is `texts[i]` for
    /// choice (candidate, content block, output item) `i`. Ollama has no choices and
    /// answers with `texts[0]`.
    static func body(
        provider: Provider, model: String, texts: [String], id: String,
        created: Int = UnixTime.now(), promptTokens: Int = 1
    ) -> [UInt8] {
        let context = ResponseContext(model: model, id: id, created: created, promptTokens: promptTokens)
        // Every API answers with at least one choice.
        let texts = texts.isEmpty ? [""] : texts
        let json: JSONValue =
            switch provider {
            case .openAIChat: OpenAIChatShape.body(context, texts: texts)
            case .openAICompletions: OpenAICompletionsShape.body(context, texts: texts)
            case .openAIResponses: OpenAIResponsesShape.body(context, texts: texts)
            case .anthropicMessages: AnthropicMessagesShape.body(context, texts: texts)
            case .gemini: GeminiShape.body(context, texts: texts)
            case .ollamaChat: OllamaShape.body(context, chat: true, texts: texts)
            case .ollamaGenerate: OllamaShape.body(context, chat: false, texts: texts)
            }
        return json.bytes
    }

    /// A streamed response, one element per frame, each framed as the provider frames
    /// it (SSE events ending in a blank line, or NDJSON lines). `pieces[i]` is the
    /// text of choice `i` as deltas; the frames of one choice carry exactly those
    /// pieces in order. `includeUsage` is OpenAI's `stream_options.include_usage`
    /// (chat and completions); the other APIs always report usage.
    static func streamFrames(
        provider: Provider, model: String, pieces: [[String]], id: String, includeUsage: Bool,
        created: Int = UnixTime.now(), promptTokens: Int = 1
    ) -> [[UInt8]] {
        let context = ResponseContext(model: model, id: id, created: created, promptTokens: promptTokens)
        let pieces = pieces.isEmpty ? [[]] : pieces
        switch provider {
        case .openAIChat: return OpenAIChatShape.frames(context, pieces: pieces, includeUsage: includeUsage)
        case .openAICompletions:
            return OpenAICompletionsShape.frames(context, pieces: pieces, includeUsage: includeUsage)
        case .openAIResponses: return OpenAIResponsesShape.frames(context, pieces: pieces)
        case .anthropicMessages: return AnthropicMessagesShape.frames(context, pieces: pieces)
        case .gemini: return GeminiShape.frames(context, pieces: pieces)
        case .ollamaChat: return OllamaShape.frames(context, chat: true, pieces: pieces)
        case .ollamaGenerate: return OllamaShape.frames(context, chat: false, pieces: pieces)
        }
    }

    /// The `Content-Type` of a response.
    static func contentType(provider: Provider, stream: Bool) -> String {
        guard stream else { return "application/json" }
        switch provider.streamFraming {
        case .sse: return "text/event-stream"
        case .ndjson: return "application/x-ndjson"
        }
    }

    /// A fresh unique part for a response id: 24 letters and digits, like the ids the
    /// APIs hand out.
    static func makeID() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<24).map { _ in alphabet.randomElement()! })
    }
}
