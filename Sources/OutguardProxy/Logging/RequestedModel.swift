import NIOCore

/// The model a request asked for, as the log names it: the `model` field of the JSON
/// body, or for Gemini the path (`/v1beta/models/gemini-2.0-flash:generateContent`).
/// Read only for responses that are logged, so a request pays nothing for it otherwise.
enum RequestedModel {
    static func name(path: Substring, body: ByteBuffer) -> String? {
        if let models = path.range(of: "/models/") {
            let rest = path[models.upperBound...]
            return String(rest.prefix { $0 != ":" })
        }
        return body.withUnsafeReadableBytes { JSONParser.topLevelString("model", in: $0.bindMemory(to: UInt8.self)) }
    }
}
