/// `POST /v1/chat/completions`: a `chat.completion` object, or `chat.completion.chunk`
/// events ending with `data: [DONE]`.
enum OpenAIChatShape {
    static func body(_ context: ResponseContext, texts: [String]) -> JSONValue {
        let choices: [JSONValue] = texts.enumerated().map { index, text in
            [
                "index": .int(index),
                "message": [
                    "role": "assistant", "content": .string(text), "refusal": nil, "annotations": [],
                ],
                "logprobs": nil,
                "finish_reason": "stop",
            ]
        }
        return [
            "id": .string("chatcmpl-" + context.id),
            "object": "chat.completion",
            "created": .int(context.created),
            "model": .string(context.model),
            "choices": .array(choices),
            "usage": usage(context, completionTokens: TokenEstimate.count(texts)),
            "service_tier": "default",
            "system_fingerprint": nil,
        ]
    }

    /// Frames as the API sends them for `n` choices: a role chunk per choice, the
    /// content deltas round robin, a finish chunk per choice, the usage chunk when
    /// asked for, then `[DONE]`.
    static func frames(_ context: ResponseContext, pieces: [[String]], includeUsage: Bool) -> [[UInt8]] {
        var frames: [[UInt8]] = []
        func chunk(_ index: Int, delta: JSONValue, finishReason: JSONValue = nil) {
            let choice: JSONValue = [
                "index": .int(index), "delta": delta, "logprobs": nil, "finish_reason": finishReason,
            ]
            let json = envelope(context, choices: [choice])
            frames.append(ShapeFraming.sse(includeUsage ? json.appending(["usage": nil]) : json))
        }
        for index in pieces.indices {
            chunk(index, delta: ["role": "assistant", "content": "", "refusal": nil])
        }
        for (index, piece) in RoundRobin.order(pieces) {
            chunk(index, delta: ["content": .string(piece)])
        }
        for index in pieces.indices {
            chunk(index, delta: [:], finishReason: "stop")
        }
        if includeUsage {
            let completionTokens = TokenEstimate.count(pieces.map { $0.joined() })
            let json = envelope(context, choices: []).appending([
                "usage": usage(context, completionTokens: completionTokens)
            ])
            frames.append(ShapeFraming.sse(json))
        }
        frames.append(ShapeFraming.done)
        return frames
    }

    /// The fields every chunk carries. `usage` is added only when the client asked
    /// for it (`stream_options.include_usage`): null on every chunk but the last.
    private static func envelope(_ context: ResponseContext, choices: [JSONValue]) -> JSONValue {
        [
            "id": .string("chatcmpl-" + context.id),
            "object": "chat.completion.chunk",
            "created": .int(context.created),
            "model": .string(context.model),
            "service_tier": "default",
            "system_fingerprint": nil,
            "choices": .array(choices),
        ]
    }

    private static func usage(_ context: ResponseContext, completionTokens: Int) -> JSONValue {
        [
            "prompt_tokens": .int(context.promptTokens),
            "completion_tokens": .int(completionTokens),
            "total_tokens": .int(context.promptTokens + completionTokens),
            "prompt_tokens_details": ["cached_tokens": 0, "audio_tokens": 0],
            "completion_tokens_details": [
                "reasoning_tokens": 0, "audio_tokens": 0,
                "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0,
            ],
        ]
    }
}
