/// `POST /v1/messages`: a `message` object, or the named event stream
/// (`message_start` … `message_stop`).
///
/// The API has no `n`; several answers become several text content blocks, streamed
/// one block after the other as the API streams its blocks.
enum AnthropicMessagesShape {
    static func body(_ context: ResponseContext, texts: [String]) -> JSONValue {
        message(
            context, content: texts.map { ["type": "text", "text": .string($0)] },
            stopReason: "end_turn", outputTokens: TokenEstimate.count(texts))
    }

    static func frames(_ context: ResponseContext, pieces: [[String]]) -> [[UInt8]] {
        var frames: [[UInt8]] = []
        func event(_ type: String, _ fields: JSONValue = [:]) {
            let json: JSONValue = ["type": .string(type)]
            frames.append(ShapeFraming.sse(event: type, json.appending(fields)))
        }
        // The API reports one output token in message_start, before any text.
        event("message_start", ["message": message(context, content: [], stopReason: nil, outputTokens: 1)])
        for (index, list) in pieces.enumerated() {
            event("content_block_start", ["index": .int(index), "content_block": ["type": "text", "text": ""]])
            if index == 0 { event("ping") }
            for piece in list {
                event(
                    "content_block_delta",
                    ["index": .int(index), "delta": ["type": "text_delta", "text": .string(piece)]])
            }
            event("content_block_stop", ["index": .int(index)])
        }
        let outputTokens = TokenEstimate.count(pieces.map { $0.joined() })
        event(
            "message_delta",
            [
                "delta": ["stop_reason": "end_turn", "stop_sequence": nil],
                "usage": ["output_tokens": .int(outputTokens)],
            ])
        event("message_stop")
        return frames
    }

    private static func message(
        _ context: ResponseContext, content: [JSONValue], stopReason: JSONValue, outputTokens: Int
    ) -> JSONValue {
        [
            "id": .string("msg_" + context.id),
            "type": "message",
            "role": "assistant",
            "model": .string(context.model),
            "content": .array(content),
            "stop_reason": stopReason,
            "stop_sequence": nil,
            "usage": [
                "input_tokens": .int(context.promptTokens),
                "cache_creation_input_tokens": 0,
                "cache_read_input_tokens": 0,
                "output_tokens": .int(outputTokens),
                "service_tier": "standard",
            ],
        ]
    }
}
