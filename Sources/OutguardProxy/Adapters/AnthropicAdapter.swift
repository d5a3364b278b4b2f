/// Anthropic Messages (`/v1/messages`): text content blocks; streams of
/// `content_block_delta` events.
struct AnthropicAdapter: ProviderAdapter {
    var provider: Provider { .anthropicMessages }

    func texts(in body: JSONNode, options: FilterOptions) -> [(segment: SegmentKey, node: JSONNode)] {
        (body["content"]?.items ?? .empty).enumerated().compactMap { index, block in
            guard block["type"]?.string == "text", let text = block["text"], text.isString else { return nil }
            return (SegmentKey(index: index), text)
        }
    }

    func blockAnswer(in body: JSONNode, segment: SegmentKey, message: String, edits: inout JSONEdits) {
        if let text = body["content"]?[segment.index]?["text"] { edits.replace(text, withString: message) }
        if let reason = body["stop_reason"] { edits.replace(reason, withString: "refusal") }
    }

    func makeStreamReader(options: FilterOptions) -> any StreamReader { AnthropicStreamReader() }

    /// `{"type":"error","error":{"type":…,"message":…}}`, as the Anthropic SDKs expect.
    func errorBody(status: Int, message: String, code: String) -> [UInt8] {
        let type =
            switch status {
            case 400, 413, 422, 431: "invalid_request_error"
            case 401: "authentication_error"
            case 403: "permission_error"
            case 404: "not_found_error"
            case 504: "timeout_error"
            default: "api_error"
            }
        let body: JSONValue = ["type": "error", "error": ["type": .string(type), "message": .string(message)]]
        return body.bytes
    }
}

/// Reads Anthropic's stream events; a text block ends at its `content_block_stop`.
struct AnthropicStreamReader: StreamReader {
    mutating func read(_ payload: JSONNode, relay: inout StreamRelay) {
        payload.withView { payload in
            let index = payload["index"]?.int ?? 0
            switch payload["type"]?.string {
            case "content_block_start":
                if let text = payload["content_block"]?["text"] { relay.feed(text, of: SegmentKey(index: index)) }
            case "content_block_delta":
                if payload["delta"]?["type"]?.string == "text_delta", let text = payload["delta"]?["text"] {
                    relay.feed(text, of: SegmentKey(index: index))
                }
            case "content_block_stop":
                relay.finish(SegmentKey(index: index))
            default:
                break
            }
        }
    }

    func blockFrames(_ block: StreamRelay.Block, codec: any FrameCodec) -> [[UInt8]] {
        let index = JSONValue.int(block.segment.index)
        let events: [(String, JSONValue)] = [
            (
                "content_block_delta",
                [
                    "type": "content_block_delta", "index": index,
                    "delta": ["type": "text_delta", "text": .string(block.message)],
                ]
            ),
            ("content_block_stop", ["type": "content_block_stop", "index": index]),
            (
                "message_delta",
                [
                    "type": "message_delta", "delta": ["stop_reason": "refusal", "stop_sequence": nil],
                    "usage": ["output_tokens": 0],
                ]
            ),
            ("message_stop", ["type": "message_stop"]),
        ]
        return events.map { codec.makeFrame(event: $0.0, payload: $0.1.bytes) }
    }
}
