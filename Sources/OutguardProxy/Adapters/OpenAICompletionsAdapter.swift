/// OpenAI's legacy Completions (`/v1/completions`): `choices[].text`.
struct OpenAICompletionsAdapter: ProviderAdapter {
    var provider: Provider { .openAICompletions }

    func texts(in body: JSONNode, options: FilterOptions) -> [(segment: SegmentKey, node: JSONNode)] {
        (body["choices"]?.items ?? .empty).enumerated().compactMap { position, choice in
            guard let text = choice["text"], text.isString else { return nil }
            return (SegmentKey(index: choice["index"]?.int ?? position), text)
        }
    }

    func blockAnswer(in body: JSONNode, segment: SegmentKey, message: String, edits: inout JSONEdits) {
        for (position, choice) in (body["choices"]?.items ?? .empty).enumerated()
        where (choice["index"]?.int ?? position) == segment.index {
            if let text = choice["text"] { edits.replace(text, withString: message) }
            if let reason = choice["finish_reason"] { edits.replace(reason, withString: "content_filter") }
        }
    }

    func makeStreamReader(options: FilterOptions) -> any StreamReader { OpenAICompletionsStreamReader() }

    func errorBody(status: Int, message: String, code: String) -> [UInt8] {
        OpenAIError.body(message: message, type: OpenAIError.type(for: status), code: code)
    }
}

/// Reads `text_completion` stream chunks.
struct OpenAICompletionsStreamReader: StreamReader {
    private var header = RememberedFields(OpenAIChat.chunkKeys)
    private var open = OpenChoices()

    mutating func read(_ payload: JSONNode, relay: inout StreamRelay) {
        header.remember(payload)
        payload.withView { payload in
            guard let choices = payload["choices"] else { return }
            for (position, choice) in choices.items.enumerated() {
                let index = open.see(choice, at: position)
                if let text = choice["text"] { relay.feed(text, of: SegmentKey(index: index)) }
                open.finishIfDone(choice, index: index, relay: &relay)
            }
        }
    }

    func blockFrames(_ block: StreamRelay.Block, codec: any FrameCodec) -> [[UInt8]] {
        let choices = open.toClose(after: block).map { index -> JSONValue in
            [
                "text": .string(index == block.segment.index ? block.message : ""),
                "index": .int(index),
                "logprobs": nil,
                "finish_reason": "content_filter",
            ]
        }
        return OpenAIChat.closingFrames(header.object.appending(["choices": .array(choices)]), codec: codec)
    }
}
