/// OpenAI Chat Completions (`/v1/chat/completions`), also spoken by vLLM, llama.cpp,
/// LiteLLM and most self-hosted servers.
struct OpenAIChatAdapter: ProviderAdapter {
    var provider: Provider { .openAIChat }

    func texts(in body: JSONNode, options: FilterOptions) -> [(segment: SegmentKey, node: JSONNode)] {
        var texts: [(segment: SegmentKey, node: JSONNode)] = []
        for (position, choice) in (body["choices"]?.items ?? .empty).enumerated() {
            let index = choice["index"]?.int ?? position
            guard let message = choice["message"] else { continue }
            if let content = message["content"], content.isString {
                texts.append((SegmentKey(index: index), content))
            }
            if let refusal = message["refusal"], refusal.isString {
                texts.append((SegmentKey(index: index, field: .refusal), refusal))
            }
            guard options.scanToolArguments else { continue }
            for (call, toolCall) in (message["tool_calls"]?.items ?? .empty).enumerated() {
                if let arguments = toolCall["function"]?["arguments"], arguments.isString {
                    texts.append((SegmentKey(index: index, part: call, field: .toolArguments), arguments))
                }
            }
        }
        return texts
    }

    func blockAnswer(in body: JSONNode, segment: SegmentKey, message: String, edits: inout JSONEdits) {
        for (position, choice) in (body["choices"]?.items ?? .empty).enumerated()
        where (choice["index"]?.int ?? position) == segment.index {
            if let content = choice["message"]?["content"] { edits.replace(content, withString: message) }
            if let reason = choice["finish_reason"] { edits.replace(reason, withString: "content_filter") }
        }
    }

    func makeStreamReader(options: FilterOptions) -> any StreamReader { OpenAIChatStreamReader(options: options) }

    func errorBody(status: Int, message: String, code: String) -> [UInt8] {
        OpenAIError.body(message: message, type: OpenAIError.type(for: status), code: code)
    }
}

/// Reads `chat.completion.chunk` frames.
struct OpenAIChatStreamReader: StreamReader {
    let options: FilterOptions
    /// The chunk fields a closing chunk repeats, as the upstream wrote them.
    private var header = RememberedFields(OpenAIChat.chunkKeys)
    private var open = OpenChoices()

    init(options: FilterOptions) { self.options = options }

    mutating func read(_ payload: JSONNode, relay: inout StreamRelay) {
        header.remember(payload)
        payload.withView { payload in
            guard let choices = payload["choices"] else { return }
            for (position, choice) in choices.items.enumerated() {
                let index = open.see(choice, at: position)
                if let delta = choice["delta"] { read(delta, of: index, relay: &relay) }
                open.finishIfDone(choice, index: index, relay: &relay)
            }
        }
    }

    private func read(_ delta: JSONView, of index: Int, relay: inout StreamRelay) {
        if let content = delta["content"] { relay.feed(content, of: SegmentKey(index: index)) }
        if let refusal = delta["refusal"] { relay.feed(refusal, of: SegmentKey(index: index, field: .refusal)) }
        guard options.scanToolArguments, let calls = delta["tool_calls"] else { return }
        for (position, call) in calls.items.enumerated() {
            if let arguments = call["function"]?["arguments"], arguments.isString {
                let key = SegmentKey(index: index, part: call["index"]?.int ?? position, field: .toolArguments)
                relay.feed(arguments, of: key)
            }
        }
    }

    func blockFrames(_ block: StreamRelay.Block, codec: any FrameCodec) -> [[UInt8]] {
        let choices = open.toClose(after: block).map { index -> JSONValue in
            [
                "index": .int(index),
                "delta": index == block.segment.index ? ["content": .string(block.message)] : [:],
                "logprobs": nil,
                "finish_reason": "content_filter",
            ]
        }
        return OpenAIChat.closingFrames(header.object.appending(["choices": .array(choices)]), codec: codec)
    }
}

/// What OpenAI's two completion APIs share in their streams.
enum OpenAIChat {
    /// The fields every chunk repeats.
    static let chunkKeys = ["id", "object", "created", "model", "system_fingerprint"]

    /// A last chunk, then `data: [DONE]`.
    static func closingFrames(_ chunk: JSONValue, codec: any FrameCodec) -> [[UInt8]] {
        [codec.makeFrame(event: nil, payload: chunk.bytes), codec.makeFrame(event: nil, payload: Array("[DONE]".utf8))]
    }
}

/// The choices of an OpenAI stream seen and not yet finished, in order: a block closes
/// each of them.
struct OpenChoices: Sendable {
    private var open: [Int] = []

    /// Notes the choice object at `position` of a chunk's `choices`; returns its index.
    mutating func see(_ choice: JSONView, at position: Int) -> Int {
        let index = choice["index"]?.int ?? position
        if !open.contains(index) { open.append(index) }
        return index
    }

    /// A `finish_reason` ends every text of the choice.
    mutating func finishIfDone(_ choice: JSONView, index: Int, relay: inout StreamRelay) {
        guard choice["finish_reason"]?.isString == true else { return }
        relay.finishAll { $0.index == index }
        open.removeAll { $0 == index }
    }

    /// The choices a closing chunk ends after `block`.
    func toClose(after block: StreamRelay.Block) -> [Int] { open.isEmpty ? [block.segment.index] : open }
}
