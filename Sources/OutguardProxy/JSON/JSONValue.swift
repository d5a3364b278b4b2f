/// A JSON value to write, with object members in the order given.
///
/// Response shapes and closing frames are written from these rather than by string interpolation so that
/// every text lands escaped (`JSONString`) and every frame is valid JSON by
/// construction. Member order is kept because real APIs write their fields in a fixed
/// order and people compare the mock's output with theirs by eye.
indirect enum JSONValue: Sendable, Equatable {
    case object([Member])
    case array([JSONValue])
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case null
    /// JSON text written elsewhere (a field kept as the upstream wrote it).
    case raw([UInt8])

    /// One key of an object and its value.
    struct Member: Sendable, Equatable {
        var key: String
        var value: JSONValue
    }

    /// The compact JSON text (no spaces), as the APIs send it.
    var bytes: [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(to: &output)
        return output
    }

    func write(to output: inout [UInt8]) {
        switch self {
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (position, member) in members.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                output.append(UInt8(ascii: "\""))
                JSONString.append(member.key, to: &output)
                output += [UInt8(ascii: "\""), UInt8(ascii: ":")]
                member.value.write(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        case .array(let items):
            output.append(UInt8(ascii: "["))
            for (position, item) in items.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                item.write(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .string(let text):
            output.append(UInt8(ascii: "\""))
            JSONString.append(text, to: &output)
            output.append(UInt8(ascii: "\""))
        case .int(let number):
            output += Array(String(number).utf8)
        case .double(let number):
            // Swift prints whole numbers as "1.0", which is what the APIs send for
            // temperature and top_p; non-finite numbers have no JSON form.
            output += Array((number.isFinite ? String(number) : "null").utf8)
        case .bool(let flag):
            output += Array((flag ? "true" : "false").utf8)
        case .null:
            output += Array("null".utf8)
        case .raw(let json):
            output += json
        }
    }

    /// This object followed by the members of `more` (both must be objects), for
    /// shapes that share leading fields.
    func appending(_ more: JSONValue) -> JSONValue {
        guard case .object(let members) = self, case .object(let extra) = more else { return self }
        return .object(members + extra)
    }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
    init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(elements.map { Member(key: $0.0, value: $0.1) })
    }
}

extension JSONValue: ExpressibleByArrayLiteral {
    init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}

extension JSONValue: ExpressibleByStringLiteral {
    init(stringLiteral value: String) { self = .string(value) }
}

extension JSONValue: ExpressibleByIntegerLiteral {
    init(integerLiteral value: Int) { self = .int(value) }
}

extension JSONValue: ExpressibleByFloatLiteral {
    init(floatLiteral value: Double) { self = .double(value) }
}

extension JSONValue: ExpressibleByBooleanLiteral {
    init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension JSONValue: ExpressibleByNilLiteral {
    init(nilLiteral: ()) { self = .null }
}
