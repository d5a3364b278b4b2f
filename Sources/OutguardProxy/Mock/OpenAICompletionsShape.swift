/// `POST /v1/completions` (the legacy text API): `text_completion` objects, whole or
/// streamed as chunks of the same object ending with `data: [DONE]`.
enum OpenAICompletionsShape {
    static func body(_ context: ResponseContext, texts: [String]) -> JSONValue {
        let choices: [JSONValue] = texts.enumerated().map { index, text in
            choice(index, text: text, finishReason: "stop")
        }
        return envelope(context, choices: choices)
            .appending(["usage": usage(context, completionTokens: TokenEstimate.count(texts))])
    }

    /// Text deltas round robin, then an empty-text chunk per choice carrying its
    /// finish reason, the usage chunk when asked for, then `[DONE]`.
    static func frames(_ context: ResponseContext, pieces: [[String]], includeUsage: Bool) -> [[UInt8]] {
        var frames: [[UInt8]] = []
        func chunk(_ choices: [JSONValue], usage: JSONValue) {
            let json = envelope(context, choices: choices)
            frames.append(ShapeFraming.sse(includeUsage ? json.appending(["usage": usage]) : json))
        }
        for (index, piece) in RoundRobin.order(pieces) {
            chunk([choice(index, text: piece, finishReason: nil)], usage: nil)
        }
        for index in pieces.indices {
            chunk([choice(index, text: "", finishReason: "stop")], usage: nil)
        }
        if includeUsage {
            chunk([], usage: usage(context, completionTokens: TokenEstimate.count(pieces.map { $0.joined() })))
        }
        frames.append(ShapeFraming.done)
        return frames
    }

    private static func envelope(_ context: ResponseContext, choices: [JSONValue]) -> JSONValue {
        [
            "id": .string("cmpl-" + context.id),
            "object": "text_completion",
            "created": .int(context.created),
            "model": .string(context.model),
            "system_fingerprint": nil,
            "choices": .array(choices),
        ]
    }

    private static func choice(_ index: Int, text: String, finishReason: JSONValue) -> JSONValue {
        ["text": .string(text), "index": .int(index), "logprobs": nil, "finish_reason": finishReason]
    }

    private static func usage(_ context: ResponseContext, completionTokens: Int) -> JSONValue {
        [
            "prompt_tokens": .int(context.promptTokens),
            "completion_tokens": .int(completionTokens),
            "total_tokens": .int(context.promptTokens + completionTokens),
        ]
    }
}
