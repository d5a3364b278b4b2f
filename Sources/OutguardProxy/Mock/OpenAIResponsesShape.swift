/// `POST /v1/responses`: a `response` object, or the typed event stream
/// (`response.created` … `response.completed`) with `event:` names and a
/// `sequence_number` on every event.
///
/// The real API has no `n`; several answers become several message items, one per
/// `output_index`, streamed one after the other as the API streams its items.
enum OpenAIResponsesShape {
    static func body(_ context: ResponseContext, texts: [String]) -> JSONValue {
        response(
            context, status: "completed", output: texts.enumerated().map { message($0, text: $1, context) },
            outputTokens: TokenEstimate.count(texts))
    }

    static func frames(_ context: ResponseContext, pieces: [[String]]) -> [[UInt8]] {
        var frames: [[UInt8]] = []
        var sequence = 0
        func event(_ type: String, _ fields: JSONValue) {
            let json: JSONValue = ["type": .string(type), "sequence_number": .int(sequence)]
            frames.append(ShapeFraming.sse(event: type, json.appending(fields)))
            sequence += 1
        }
        let started = response(context, status: "in_progress", output: [], outputTokens: nil)
        event("response.created", ["response": started])
        event("response.in_progress", ["response": started])

        let texts = pieces.map { $0.joined() }
        let output = texts.enumerated().map { message($0, text: $1, context) }
        for (index, list) in pieces.enumerated() {
            let itemID = JSONValue.string(messageID(context, index))
            let opened: JSONValue = [
                "id": itemID, "type": "message", "status": "in_progress", "content": [], "role": "assistant",
            ]
            let location: JSONValue = ["item_id": itemID, "output_index": .int(index), "content_index": 0]
            event("response.output_item.added", ["output_index": .int(index), "item": opened])
            event("response.content_part.added", location.appending(["part": outputText("")]))
            for piece in list {
                event("response.output_text.delta", location.appending(["delta": .string(piece), "logprobs": []]))
            }
            event("response.output_text.done", location.appending(["text": .string(texts[index]), "logprobs": []]))
            event("response.content_part.done", location.appending(["part": outputText(texts[index])]))
            event("response.output_item.done", ["output_index": .int(index), "item": output[index]])
        }
        let completed = response(context, status: "completed", output: output, outputTokens: TokenEstimate.count(texts))
        event("response.completed", ["response": completed])
        return frames
    }

    private static func messageID(_ context: ResponseContext, _ index: Int) -> String {
        index == 0 ? "msg_" + context.id : "msg_\(context.id)_\(index)"
    }

    private static func message(_ index: Int, text: String, _ context: ResponseContext) -> JSONValue {
        [
            "id": .string(messageID(context, index)),
            "type": "message",
            "status": "completed",
            "content": [outputText(text)],
            "role": "assistant",
        ]
    }

    private static func outputText(_ text: String) -> JSONValue {
        ["type": "output_text", "annotations": [], "logprobs": [], "text": .string(text)]
    }

    /// The response object with the fields the API returns when a request sets none
    /// of them; `outputTokens` nil while in progress (usage is null until the end).
    private static func response(
        _ context: ResponseContext, status: String, output: [JSONValue], outputTokens: Int?
    ) -> JSONValue {
        let usage: JSONValue
        if let outputTokens {
            usage = [
                "input_tokens": .int(context.promptTokens),
                "input_tokens_details": ["cached_tokens": 0, "cache_write_tokens": 0],
                "output_tokens": .int(outputTokens),
                "output_tokens_details": ["reasoning_tokens": 0],
                "total_tokens": .int(context.promptTokens + outputTokens),
            ]
        } else {
            usage = nil
        }
        return [
            "id": .string("resp_" + context.id),
            "object": "response",
            "created_at": .int(context.created),
            "status": .string(status),
            "background": false,
            "completed_at": outputTokens == nil ? nil : .int(context.created),
            "error": nil,
            "incomplete_details": nil,
            "instructions": nil,
            "max_output_tokens": nil,
            "max_tool_calls": nil,
            "model": .string(context.model),
            "output": .array(output),
            "parallel_tool_calls": true,
            "previous_response_id": nil,
            "prompt_cache_key": nil,
            "reasoning": ["effort": nil, "summary": nil],
            "safety_identifier": nil,
            "service_tier": "default",
            "store": true,
            "temperature": 1.0,
            "text": ["format": ["type": "text"], "verbosity": "medium"],
            "tool_choice": "auto",
            "tools": [],
            "top_logprobs": 0,
            "top_p": 1.0,
            "truncation": "disabled",
            "usage": usage,
            "user": nil,
            "metadata": [:],
        ]
    }
}
