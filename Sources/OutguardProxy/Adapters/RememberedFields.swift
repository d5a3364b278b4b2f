/// Top-level fields of a stream's first JSON frame (ids, model, timestamps), kept as
/// the upstream wrote them, so that a closing frame Outguard writes carries the same.
struct RememberedFields: Sendable {
    private let keys: [String]
    private var fields: [(key: String, json: [UInt8])] = []
    private var remembered = false

    init(_ keys: [String]) { self.keys = keys }

    /// Keeps `keys` from the first frame that has any of them.
    mutating func remember(_ payload: JSONNode, in frame: StreamFrame) {
        guard !remembered, let bytes = frame.payload else { return }
        for key in keys {
            if let node = payload[key] { fields.append((key, Array(bytes[node.range]))) }
        }
        remembered = !fields.isEmpty
    }

    /// The remembered fields, as object members.
    var members: [(String, [UInt8])] { fields.map { ($0.key, $0.json) } }

    /// A JSON object: the remembered fields first, then `members` (each value already JSON).
    func object(_ members: [(String, [UInt8])]) -> [UInt8] {
        JSONObject.encoded(self.members + members)
    }
}

/// Writing small JSON objects from already-encoded values.
enum JSONObject {
    static func encoded(_ members: [(String, [UInt8])]) -> [UInt8] {
        var json: [UInt8] = [UInt8(ascii: "{")]
        for (position, (key, value)) in members.enumerated() {
            if position > 0 { json.append(UInt8(ascii: ",")) }
            json += JSONString.encoded(key) + [UInt8(ascii: ":")] + value
        }
        json.append(UInt8(ascii: "}"))
        return json
    }

    static func string(_ text: String) -> [UInt8] { JSONString.encoded(text) }
    static func raw(_ json: String) -> [UInt8] { Array(json.utf8) }
}
