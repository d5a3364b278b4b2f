import Testing

@testable import OutguardProxy

/// Reads what the client received the way the provider's SDK would: answers per choice,
/// stream frames (each must be valid framing and JSON), error bodies, terminal frames.
enum ClientView {
    /// The frames of a streamed body, split by the proxy's own codec.
    static func frames(_ provider: Provider, _ body: [UInt8]) throws -> [ParsedFrame] {
        var codec = provider.streamFraming.makeCodec()
        var frames: [StreamFrame] = []
        codec.decode(body, into: &frames)
        codec.finish(into: &frames)
        return try frames.map { try ParsedFrame(provider, $0.raw) }
    }

    /// The text of each choice of a streamed body, in choice order.
    static func streamedAnswers(_ provider: Provider, _ body: [UInt8]) throws -> [String] {
        var texts: [Int: String] = [:]
        for frame in try frames(provider, body) {
            for (choice, delta) in ShapeReader.deltas(provider, frame) { texts[choice, default: ""] += delta }
        }
        return texts.keys.sorted().map { texts[$0]! }
    }

    /// The text of each choice of a non-streamed body.
    static func answers(_ provider: Provider, _ body: [UInt8]) throws -> [String] {
        ShapeReader.answers(provider, try JSONDocument(body).root)
    }

    /// The message of an error body in the provider's shape (OpenAI's for routes of no
    /// known API); nil when the body has another shape.
    static func errorMessage(_ provider: Provider?, status: Int, _ body: [UInt8]) -> String? {
        guard let root = try? JSONDocument(body).root else { return nil }
        let error = root["error"]
        switch provider ?? .openAIChat {
        case .openAIChat, .openAICompletions, .openAIResponses:
            guard error?["type"]?.string != nil, error?["code"] != nil, error?["param"] != nil else { return nil }
            return error?["message"]?.string
        case .anthropicMessages:
            guard root["type"]?.string == "error", error?["type"]?.string != nil else { return nil }
            return error?["message"]?.string
        case .gemini:
            guard error?["code"]?.int == status, error?["status"]?.string != nil else { return nil }
            return error?["message"]?.string
        case .ollamaChat, .ollamaGenerate:
            return error?.string
        }
    }

    /// Checks that a stream the proxy cut short ends the way the provider ends filtered
    /// content, with `message` as the last text.
    static func expectBlockedEnding(
        _ provider: Provider, _ body: [UInt8], message: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let frames = try frames(provider, body)
        let last = try #require(frames.last, sourceLocation: sourceLocation)
        let json = last.json
        switch provider {
        case .openAIChat, .openAICompletions:
            #expect(last.document.root.isNull, "the last frame is data: [DONE]", sourceLocation: sourceLocation)
            let closing = try #require(frames.dropLast().last, sourceLocation: sourceLocation).json
            let reasons = closing["choices"]?.items.compactMap { $0["finish_reason"]?.string }
            #expect(reasons?.isEmpty == false, sourceLocation: sourceLocation)
            #expect(reasons?.allSatisfy { $0 == "content_filter" } == true, sourceLocation: sourceLocation)
        case .anthropicMessages:
            #expect(last.name == "message_stop", sourceLocation: sourceLocation)
            let delta = try #require(frames.dropLast().last, sourceLocation: sourceLocation)
            #expect(delta.name == "message_delta", sourceLocation: sourceLocation)
            #expect(delta.json["delta"]?["stop_reason"]?.string == "refusal", sourceLocation: sourceLocation)
        case .gemini:
            #expect(json["candidates"]?[0]?["finishReason"]?.string == "SAFETY", sourceLocation: sourceLocation)
        case .openAIResponses:
            #expect(last.name == "response.incomplete", sourceLocation: sourceLocation)
            #expect(json["response"]?["status"]?.string == "incomplete", sourceLocation: sourceLocation)
            #expect(
                json["response"]?["incomplete_details"]?["reason"]?.string == "content_filter",
                sourceLocation: sourceLocation)
        case .ollamaChat, .ollamaGenerate:
            #expect(json["done"]?.bool == true, sourceLocation: sourceLocation)
            #expect(json["done_reason"]?.string == "content_filter", sourceLocation: sourceLocation)
        }
        let texts = try streamedAnswers(provider, body)
        #expect(texts.first?.hasSuffix(message) == true, "\(texts)", sourceLocation: sourceLocation)
    }

    /// The finish reason a non-streamed body gives its first answer.
    static func finishReason(_ provider: Provider, _ body: [UInt8]) throws -> String? {
        let root = try JSONDocument(body).root
        return switch provider {
        case .openAIChat, .openAICompletions: root["choices"]?[0]?["finish_reason"]?.string
        case .openAIResponses: root["incomplete_details"]?["reason"]?.string
        case .anthropicMessages: root["stop_reason"]?.string
        case .gemini: root["candidates"]?[0]?["finishReason"]?.string
        case .ollamaChat, .ollamaGenerate: root["done_reason"]?.string
        }
    }
}

extension RecordedRequest {
    /// Whether the client asked for a stream (the bodies `Provider.request` writes say so).
    var wantsStream: Bool { String(decoding: body, as: UTF8.self).contains(#""stream":true"#) }
}

extension Array where Element == UInt8 {
    /// Whether these bytes contain `text`'s UTF-8 anywhere.
    func contains(_ text: String) -> Bool {
        let needle = Array(text.utf8)
        guard !needle.isEmpty, needle.count <= count else { return needle.isEmpty }
        return (0...(count - needle.count)).contains { start in
            self[start..<(start + needle.count)].elementsEqual(needle)
        }
    }
}
