import NIOCore

/// The model a request asked for, as the log names it: the `model` field of the JSON
/// body, or for Gemini the path (`/v1beta/models/gemini-2.0-flash:generateContent`).
/// Read only for responses that are logged, so a request pays nothing for it otherwise.
enum RequestedModel {
    static func name(path: Substring, body: ByteBuffer) -> String? {
        if let model = modelInPath(path) { return model }
        return body.withUnsafeReadableBytes { JSONParser.topLevelString("model", in: $0.bindMemory(to: UInt8.self)) }
    }

    /// What follows `/models/` up to a `:`. A plain scan of the path's bytes: Foundation's
    /// `range(of:)`, and the standard library's generic `firstRange(of:)` even more, cost
    /// more than the rest of what the log does with a response.
    private static func modelInPath(_ path: Substring) -> String? {
        let utf8 = path.utf8
        var start = utf8.startIndex
        while let slash = utf8[start...].firstIndex(of: UInt8(ascii: "/")) {
            let rest = utf8[slash...]
            if rest.starts(with: "/models/".utf8) {
                return String(Substring(rest.dropFirst(8).prefix { $0 != UInt8(ascii: ":") }))
            }
            start = utf8.index(after: slash)
        }
        return nil
    }
}
