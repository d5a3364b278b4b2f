/// The bytes of one streamed frame in each framing the providers use.
enum ShapeFraming {
    /// A server-sent event: `event: name` when the provider names its events,
    /// then `data: json` and the blank line that ends the event.
    static func sse(event: String? = nil, _ json: JSONValue) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        if let event { output += Array("event: \(event)\n".utf8) }
        output += Array("data: ".utf8)
        json.write(to: &output)
        output += [0x0A, 0x0A]
        return output
    }

    /// OpenAI's end of a chat or completions stream.
    static let done: [UInt8] = Array("data: [DONE]\n\n".utf8)

    /// One line of newline-delimited JSON (Ollama).
    static func ndjson(_ json: JSONValue) -> [UInt8] {
        var output = json.bytes
        output.append(0x0A)
        return output
    }
}
