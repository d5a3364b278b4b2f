@testable import OutguardProxy

/// One streamed frame taken apart: checks its framing and parses its JSON.
struct ParsedFrame {
    /// The SSE `event:` name, when the frame has one.
    var name: String?
    var document: JSONDocument
    var json: JSONNode { document.root }

    struct FramingError: Error, CustomStringConvertible {
        var description: String
    }

    init(_ provider: Provider, _ frame: some Collection<UInt8>) throws {
        let text = String(decoding: frame, as: UTF8.self)
        switch provider.streamFraming {
        case .ndjson:
            guard text.hasSuffix("\n"), text.dropLast().firstIndex(of: "\n") == nil else {
                throw FramingError(description: "not one NDJSON line: \(text)")
            }
            document = try JSONDocument(Array(frame.dropLast()))
        case .sse:
            // Every event ends in a blank line, and has exactly one data line.
            guard text.hasSuffix("\n\n") else { throw FramingError(description: "no blank line after: \(text)") }
            var data: String?
            for line in text.dropLast(2).split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("event: ") {
                    name = String(line.dropFirst(7))
                } else if line.hasPrefix("data: "), data == nil {
                    data = String(line.dropFirst(6))
                } else {
                    throw FramingError(description: "unexpected line \(line) in: \(text)")
                }
            }
            guard let data else { throw FramingError(description: "no data in: \(text)") }
            document = try JSONDocument(data == "[DONE]" ? Array("null".utf8) : Array(data.utf8))
        }
    }

    var sequenceNumber: Int? { int(json["sequence_number"]) }

    func int(_ node: JSONNode?) -> Int? {
        guard let node, node.kind == .number else { return nil }
        return Int(String(decoding: document.bytes[node.range], as: UTF8.self))
    }
}

/// Where each provider's SDK finds the answer text in a body or a streamed event.
enum ShapeReader {
    static func answers(_ provider: Provider, _ root: JSONNode) -> [String] {
        switch provider {
        case .openAIChat: root["choices"]?.items.compactMap { $0["message"]?["content"]?.string } ?? []
        case .openAICompletions: root["choices"]?.items.compactMap { $0["text"]?.string } ?? []
        case .openAIResponses:
            root["output"]?.items.compactMap { item in
                item["type"]?.string == "message" ? item["content"]?[0]?["text"]?.string : nil
            } ?? []
        case .anthropicMessages: root["content"]?.items.compactMap { $0["text"]?.string } ?? []
        case .gemini: root["candidates"]?.items.compactMap { $0["content"]?["parts"]?[0]?["text"]?.string } ?? []
        case .ollamaChat: [root["message"]?["content"]?.string].compactMap { $0 }
        case .ollamaGenerate: [root["response"]?.string].compactMap { $0 }
        }
    }

    static func model(_ provider: Provider, _ root: JSONNode) -> String? {
        provider == .gemini ? root["modelVersion"]?.string : root["model"]?.string
    }

    /// The text deltas in one streamed event, with the choice each belongs to.
    static func deltas(_ provider: Provider, _ event: ParsedFrame) -> [(choice: Int, text: String)] {
        let json = event.json
        func fromList(_ list: JSONNode?, text: (JSONNode) -> String?) -> [(choice: Int, text: String)] {
            (list?.items ?? .empty).compactMap { item in
                guard let index = event.int(item["index"]), let delta = text(item) else { return nil }
                return (index, delta)
            }
        }
        switch provider {
        case .openAIChat: return fromList(json["choices"]) { $0["delta"]?["content"]?.string }
        case .openAICompletions: return fromList(json["choices"]) { $0["text"]?.string }
        case .gemini: return fromList(json["candidates"]) { $0["content"]?["parts"]?[0]?["text"]?.string }
        case .openAIResponses:
            guard json["type"]?.string == "response.output_text.delta", let index = event.int(json["output_index"]),
                let delta = json["delta"]?.string
            else { return [] }
            return [(index, delta)]
        case .anthropicMessages:
            guard json["type"]?.string == "content_block_delta", let index = event.int(json["index"]),
                let delta = json["delta"]?["text"]?.string
            else { return [] }
            return [(index, delta)]
        case .ollamaChat: return json["message"]?["content"]?.string.map { [(0, $0)] } ?? []
        case .ollamaGenerate: return json["response"]?.string.map { [(0, $0)] } ?? []
        }
    }
}
