/// A JSON text parsed just enough to find the values an adapter reads and to replace
/// them in place: every value keeps the byte range it came from.
///
/// Written by hand because Foundation's JSON decoders return values without their
/// place in the text, and the proxy must leave every byte it does not filter exactly
/// as the upstream sent it (DESIGN.md, transparency). Parsing is one pass over the
/// bytes; strings are decoded only when they contain escapes.
struct JSONDocument: Sendable {
    let bytes: [UInt8]
    let root: JSONNode

    init(_ bytes: [UInt8]) throws(JSONSyntaxError) {
        self.bytes = bytes
        root = try bytes.withUnsafeBufferPointer { (buffer) throws(JSONSyntaxError) in
            var parser = JSONParser(bytes: buffer)
            return try parser.parseDocument()
        }
    }

    /// The document's bytes with `edits` applied.
    func applying(_ edits: JSONEdits) -> [UInt8] { edits.apply(to: bytes) }
}

/// One value of a `JSONDocument` and where it lies.
struct JSONNode: Sendable {
    enum Value: Sendable {
        case object([(key: String, node: JSONNode)])
        case array([JSONNode])
        case string(String)
        /// A number; its value when it is an integer that fits in `Int`.
        case number(Int?)
        case bool(Bool)
        case null
    }

    var range: Range<Int>
    var value: Value

    subscript(key: String) -> JSONNode? {
        guard case .object(let members) = value else { return nil }
        return members.first { $0.key == key }?.node
    }

    subscript(index: Int) -> JSONNode? {
        guard case .array(let items) = value, items.indices.contains(index) else { return nil }
        return items[index]
    }

    var string: String? {
        if case .string(let text) = value { return text }
        return nil
    }

    var items: [JSONNode] {
        if case .array(let items) = value { return items }
        return []
    }

    var int: Int? {
        if case .number(let value) = value { return value }
        return nil
    }

    var bool: Bool? {
        if case .bool(let flag) = value { return flag }
        return nil
    }

    var isNull: Bool {
        if case .null = value { return true }
        return false
    }
}

/// Why a body is not JSON, with the byte offset where reading stopped.
struct JSONSyntaxError: Error, Sendable, CustomStringConvertible {
    var offset: Int
    var reason: String
    var description: String { "invalid JSON at byte \(offset): \(reason)" }
}
