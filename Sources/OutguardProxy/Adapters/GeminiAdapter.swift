/// Google Gemini (`models/*:generateContent`, `:streamGenerateContent?alt=sse`):
/// `candidates[].content.parts[].text`. Each stream chunk is a whole response object
/// whose parts carry the next piece of each candidate's text.
struct GeminiAdapter: ProviderAdapter {
    var provider: Provider { .gemini }

    func texts(in body: JSONNode, options: FilterOptions) -> [(segment: SegmentKey, node: JSONNode)] {
        var texts: [(segment: SegmentKey, node: JSONNode)] = []
        for (position, candidate) in (body["candidates"]?.items ?? .empty).enumerated() {
            let index = candidate["index"]?.int ?? position
            for (part, content) in (candidate["content"]?["parts"]?.items ?? .empty).enumerated() {
                // Thoughts are not the answer; only text parts are shown.
                if let text = content["text"], text.isString, content["thought"]?.bool != true {
                    texts.append((SegmentKey(index: index, part: part), text))
                }
            }
        }
        return texts
    }

    func blockAnswer(in body: JSONNode, segment: SegmentKey, message: String, edits: inout JSONEdits) {
        for (position, candidate) in (body["candidates"]?.items ?? .empty).enumerated()
        where (candidate["index"]?.int ?? position) == segment.index {
            if let text = candidate["content"]?["parts"]?[segment.part]?["text"] {
                edits.replace(text, withString: message)
            }
            if let reason = candidate["finishReason"] { edits.replace(reason, withString: "SAFETY") }
        }
    }

    func makeStreamReader(options: FilterOptions) -> any StreamReader { GeminiStreamReader() }

    /// Google's error body: `{"error":{"code","message","status"}}`.
    func errorBody(status: Int, message: String, code: String) -> [UInt8] {
        let name =
            switch status {
            case 400, 413, 422, 431: "INVALID_ARGUMENT"
            case 401: "UNAUTHENTICATED"
            case 403: "PERMISSION_DENIED"
            case 404: "NOT_FOUND"
            case 504: "DEADLINE_EXCEEDED"
            default: "UNAVAILABLE"
            }
        let body: JSONValue = ["error": ["code": .int(status), "message": .string(message), "status": .string(name)]]
        return body.bytes
    }
}

/// Reads Gemini stream chunks: every text part of a candidate continues its one text.
struct GeminiStreamReader: StreamReader {
    private var header = RememberedFields(["modelVersion", "responseId"])

    mutating func read(_ payload: JSONNode, relay: inout StreamRelay) {
        header.remember(payload)
        payload.withView { payload in
            guard let candidates = payload["candidates"] else { return }
            for (position, candidate) in candidates.items.enumerated() {
                let index = candidate["index"]?.int ?? position
                if let parts = candidate["content"]?["parts"] {
                    for content in parts.items {
                        if let text = content["text"], content["thought"]?.bool != true {
                            relay.feed(text, of: SegmentKey(index: index))
                        }
                    }
                }
                if candidate["finishReason"]?.isString == true { relay.finishAll { $0.index == index } }
            }
        }
    }

    func blockFrames(_ block: StreamRelay.Block, codec: any FrameCodec) -> [[UInt8]] {
        let candidate: JSONValue = [
            "content": ["parts": [["text": .string(block.message)]], "role": "model"],
            "finishReason": "SAFETY",
            "index": .int(block.segment.index),
        ]
        let chunk = JSONValue(dictionaryLiteral: ("candidates", [candidate])).appending(header.object)
        return [codec.makeFrame(event: nil, payload: chunk.bytes)]
    }
}
