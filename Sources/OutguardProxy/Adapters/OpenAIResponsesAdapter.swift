/// OpenAI Responses (`/v1/responses`): `output[].content[]` parts of type
/// `output_text` (and `refusal`). Its streams repeat the whole text in the `.done`
/// events and in `response.completed`; those carry the same rewritten text.
struct OpenAIResponsesAdapter: ProviderAdapter {
    var provider: Provider { .openAIResponses }

    func texts(in body: JSONNode, options: FilterOptions) -> [(segment: SegmentKey, node: JSONNode)] {
        ResponsesOutput.texts(in: body)
    }

    func blockAnswer(in body: JSONNode, segment: SegmentKey, message: String, edits: inout JSONEdits) {
        if let part = body["output"]?[segment.index]?["content"]?[segment.part],
            let text = part[segment.field == .refusal ? "refusal" : "text"]
        {
            edits.replace(text, withString: message)
        }
        ResponsesOutput.markIncomplete(body, edits: &edits)
    }

    func makeStreamReader(options: FilterOptions) -> any StreamReader { OpenAIResponsesStreamReader() }

    func errorBody(status: Int, message: String, code: String) -> [UInt8] {
        OpenAIError.body(message: message, type: OpenAIError.type(for: status), code: code)
    }
}

/// Where a Responses `response` object keeps its text.
enum ResponsesOutput {
    static func texts(in response: JSONNode) -> [(segment: SegmentKey, node: JSONNode)] {
        var texts: [(segment: SegmentKey, node: JSONNode)] = []
        for (index, item) in (response["output"]?.items ?? .empty).enumerated()
        where item["type"]?.string == "message" {
            texts += partTexts(of: item, index: index)
        }
        return texts
    }

    /// The texts of one output item's content parts.
    static func partTexts(of item: JSONNode, index: Int) -> [(segment: SegmentKey, node: JSONNode)] {
        (item["content"]?.items ?? .empty).enumerated().compactMap { part, content in
            partText(of: content, index: index, part: part)
        }
    }

    static func partText(of content: JSONNode, index: Int, part: Int) -> (segment: SegmentKey, node: JSONNode)? {
        switch content["type"]?.string {
        case "output_text":
            content["text"].map { (SegmentKey(index: index, part: part), $0) }
        case "refusal":
            content["refusal"].map { (SegmentKey(index: index, part: part, field: .refusal), $0) }
        default:
            nil
        }
    }

    /// `status: incomplete` with `incomplete_details.reason: content_filter`.
    static func markIncomplete(_ response: JSONNode, edits: inout JSONEdits) {
        if let status = response["status"] { edits.replace(status, withString: "incomplete") }
        if let details = response["incomplete_details"] {
            edits.replace(details, withJSON: JSONValue(dictionaryLiteral: ("reason", "content_filter")).bytes)
        }
    }
}

/// Reads Responses stream events.
struct OpenAIResponsesStreamReader: StreamReader {
    /// The `response` object of `response.created`, for the closing `response.incomplete`.
    private var response: [UInt8]?
    private var sequence = 0
    /// The ids of each output item, for closing events.
    private var itemIDs: [Int: [UInt8]] = [:]

    mutating func read(_ payload: JSONNode, relay: inout StreamRelay) {
        sequence = max(sequence, payload["sequence_number"]?.int ?? sequence)
        let index = payload["output_index"]?.int ?? 0
        let part = payload["content_index"]?.int ?? 0
        if let id = payload["item_id"] { itemIDs[index] = id.json }
        switch payload["type"]?.string {
        case "response.created", "response.in_progress":
            if let node = payload["response"] { response = node.json }
        case "response.output_text.delta":
            payload["delta"]?.withView { relay.feed($0, of: SegmentKey(index: index, part: part)) }
        case "response.refusal.delta":
            payload["delta"]?.withView { relay.feed($0, of: SegmentKey(index: index, part: part, field: .refusal)) }
        case "response.output_text.done":
            if let node = payload["text"], let text = node.string {
                relay.whole(text, of: SegmentKey(index: index, part: part), at: node)
            }
        case "response.refusal.done":
            if let node = payload["refusal"], let text = node.string {
                relay.whole(text, of: SegmentKey(index: index, part: part, field: .refusal), at: node)
            }
        case "response.content_part.done":
            if let content = payload["part"],
                let (key, node) = ResponsesOutput.partText(of: content, index: index, part: part)
            {
                relay.whole(node.string ?? "", of: key, at: node)
            }
        case "response.output_item.done":
            if let item = payload["item"] {
                for part in ResponsesOutput.partTexts(of: item, index: index) {
                    relay.whole(part.node.string ?? "", of: part.segment, at: part.node)
                }
            }
        case "response.completed", "response.incomplete", "response.failed":
            if let body = payload["response"] {
                for text in ResponsesOutput.texts(in: body) {
                    relay.whole(text.node.string ?? "", of: text.segment, at: text.node)
                }
            }
        default:
            break
        }
    }

    func blockFrames(_ block: StreamRelay.Block, codec: any FrameCodec) -> [[UInt8]] {
        let segment = block.segment
        let delta: JSONValue = [
            "type": "response.output_text.delta", "sequence_number": .int(sequence + 1),
            "item_id": itemIDs[segment.index].map(JSONValue.raw) ?? "msg_outguard", "output_index": .int(segment.index),
            "content_index": .int(segment.part), "delta": .string(block.message), "logprobs": [],
        ]
        var frames = [codec.makeFrame(event: "response.output_text.delta", payload: delta.bytes)]
        if let response, let document = try? JSONDocument(response) {
            var edits = JSONEdits()
            ResponsesOutput.markIncomplete(document.root, edits: &edits)
            let incomplete: JSONValue = [
                "type": "response.incomplete", "sequence_number": .int(sequence + 2),
                "response": .raw(document.applying(edits)),
            ]
            frames.append(codec.makeFrame(event: "response.incomplete", payload: incomplete.bytes))
        }
        return frames
    }
}
