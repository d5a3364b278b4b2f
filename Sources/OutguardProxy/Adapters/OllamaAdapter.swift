/// Ollama's native API: `/api/chat` (`message.content`) and `/api/generate`
/// (`response`); streams are NDJSON, one object a line, the last with `done: true`.
struct OllamaAdapter: ProviderAdapter {
    let provider: Provider

    /// Where the text sits in a response object of this route.
    private static func text(in object: JSONNode, provider: Provider) -> JSONNode? {
        provider == .ollamaChat ? object["message"]?["content"] : object["response"]
    }

    func texts(in body: JSONNode, options: FilterOptions) -> [(segment: SegmentKey, node: JSONNode)] {
        guard let text = Self.text(in: body, provider: provider), text.isString else { return [] }
        return [(SegmentKey(index: 0), text)]
    }

    func blockAnswer(in body: JSONNode, segment: SegmentKey, message: String, edits: inout JSONEdits) {
        if let text = Self.text(in: body, provider: provider) { edits.replace(text, withString: message) }
        if let reason = body["done_reason"] { edits.replace(reason, withString: OllamaStreamReader.blockedReason) }
    }

    func makeStreamReader(options: FilterOptions) -> any StreamReader { OllamaStreamReader(provider: provider) }

    /// Ollama answers errors as `{"error": "…"}`.
    func errorBody(status: Int, message: String, code: String) -> [UInt8] {
        JSONValue(dictionaryLiteral: ("error", .string(message))).bytes
    }
}

/// Reads Ollama's NDJSON lines.
struct OllamaStreamReader: StreamReader {
    /// Ollama has no content-filter reason of its own; this one says what happened.
    static let blockedReason = "content_filter"
    let provider: Provider
    private var header = RememberedFields(["model", "created_at"])

    init(provider: Provider) { self.provider = provider }

    mutating func read(_ payload: JSONNode, relay: inout StreamRelay) {
        header.remember(payload)
        payload.withView { payload in
            let text = provider == .ollamaChat ? payload["message"]?["content"] : payload["response"]
            if let text { relay.feed(text, of: SegmentKey(index: 0)) }
            if payload["done"]?.bool == true { relay.finishAll() }
        }
    }

    func blockFrames(_ block: StreamRelay.Block, codec: any FrameCodec) -> [[UInt8]] {
        let text: JSONValue =
            provider == .ollamaChat
            ? ["message": ["role": "assistant", "content": .string(block.message)]]
            : ["response": .string(block.message)]
        let line = header.object.appending(text).appending(["done": true, "done_reason": .string(Self.blockedReason)])
        return [codec.makeFrame(event: nil, payload: line.bytes)]
    }
}
