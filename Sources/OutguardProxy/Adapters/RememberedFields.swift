/// Top-level fields of a stream's first JSON frame (ids, model, timestamps), kept as
/// the upstream wrote them, so that a closing frame Outguard writes carries the same.
struct RememberedFields: Sendable {
    private let keys: [String]
    private var fields: [(key: String, json: [UInt8])] = []
    private var remembered = false

    init(_ keys: [String]) { self.keys = keys }

    /// Keeps `keys` from the first frame that has any of them.
    mutating func remember(_ payload: JSONNode) {
        guard !remembered else { return }
        for key in keys {
            if let node = payload[key] { fields.append((key, node.json)) }
        }
        remembered = !fields.isEmpty
    }

    /// The remembered fields, as a JSON object.
    var object: JSONValue { .object(fields.map { JSONValue.Member(key: $0.key, value: .raw($0.json)) }) }
}
