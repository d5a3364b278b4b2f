/// Ollama's `/api/chat` and `/api/generate`: one JSON object, or NDJSON lines with
/// `done: false` and the next piece of text each, then a last line with empty text,
/// `done: true`, the reason and the counters.
///
/// Ollama has no way to ask for several answers, so only the first text is used.
enum OllamaShape {
    static func body(_ context: ResponseContext, chat: Bool, texts: [String]) -> JSONValue {
        let text = texts.first ?? ""
        return line(context, chat: chat, text: text)
            .appending(final(context, chat: chat, outputTokens: TokenEstimate.count(text)))
    }

    static func frames(_ context: ResponseContext, chat: Bool, pieces: [[String]]) -> [[UInt8]] {
        let list = pieces.first ?? []
        var frames = list.map { ShapeFraming.ndjson(line(context, chat: chat, text: $0).appending(["done": false])) }
        let last = line(context, chat: chat, text: "")
            .appending(final(context, chat: chat, outputTokens: TokenEstimate.count(list.joined())))
        frames.append(ShapeFraming.ndjson(last))
        return frames
    }

    private static func line(_ context: ResponseContext, chat: Bool, text: String) -> JSONValue {
        let head: JSONValue = [
            "model": .string(context.model), "created_at": .string(UnixTime.rfc3339(context.created)),
        ]
        return head.appending(
            chat ? ["message": ["role": "assistant", "content": .string(text)]] : ["response": .string(text)])
    }

    /// The end of the last line, in the order Ollama's Go structs write it (chat puts
    /// `done_reason` first, generate `done`). Durations are in nanoseconds; the mock
    /// spends none worth reporting, so they are nominal figures from the token counts.
    private static func final(_ context: ResponseContext, chat: Bool, outputTokens: Int) -> JSONValue {
        let loadDuration = 1_000_000
        let promptDuration = context.promptTokens * 100_000
        let evalDuration = outputTokens * 1_000_000
        let end: JSONValue = chat ? ["done_reason": "stop", "done": true] : ["done": true, "done_reason": "stop"]
        return end.appending([
            "total_duration": .int(loadDuration + promptDuration + evalDuration),
            "load_duration": .int(loadDuration),
            "prompt_eval_count": .int(context.promptTokens),
            "prompt_eval_duration": .int(promptDuration),
            "eval_count": .int(outputTokens),
            "eval_duration": .int(evalDuration),
        ])
    }
}
