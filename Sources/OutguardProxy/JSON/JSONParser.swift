/// Recursive-descent JSON reader over UTF-8 bytes (RFC 8259), bounded in depth so a
/// hostile body cannot exhaust the stack.
///
/// It reads through a buffer pointer, valid only while `JSONDocument.init` runs: every
/// byte of every response passes through here, and an array's per-byte bounds and
/// uniqueness checks cost more than the parsing itself.
struct JSONParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0
    private var depth = 0
    static let maxDepth = 256

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func parseDocument() throws(JSONSyntaxError) -> JSONNode {
        skipWhitespace()
        let node = try parseValue()
        skipWhitespace()
        guard position == bytes.count else { throw fail("unexpected text after the value") }
        return node
    }

    private mutating func parseValue() throws(JSONSyntaxError) -> JSONNode {
        guard position < bytes.count else { throw fail("unexpected end") }
        let start = position
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""):
            let text = try parseString()
            return JSONNode(range: start..<position, value: .string(text))
        case UInt8(ascii: "t"): try expect("true"); return JSONNode(range: start..<position, value: .bool(true))
        case UInt8(ascii: "f"): try expect("false"); return JSONNode(range: start..<position, value: .bool(false))
        case UInt8(ascii: "n"): try expect("null"); return JSONNode(range: start..<position, value: .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let integer = try readNumber()
            return JSONNode(range: start..<position, value: .number(integer))
        default: throw fail("expected a value")
        }
    }

    private mutating func parseObject() throws(JSONSyntaxError) -> JSONNode {
        let start = position
        try enter()
        position += 1
        var members: [(key: String, node: JSONNode)] = []
        // API objects have a handful of keys: one allocation instead of four growths.
        members.reserveCapacity(8)
        skipWhitespace()
        if peek == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                skipWhitespace()
                guard peek == UInt8(ascii: "\"") else { throw fail("expected a key in quotes") }
                let key = try parseString()
                skipWhitespace()
                guard peek == UInt8(ascii: ":") else { throw fail("expected `:` after a key") }
                position += 1
                skipWhitespace()
                members.append((key, try parseValue()))
                skipWhitespace()
                if peek == UInt8(ascii: ",") { position += 1; continue }
                guard peek == UInt8(ascii: "}") else { throw fail("expected `,` or `}`") }
                position += 1
                break
            }
        }
        depth -= 1
        return JSONNode(range: start..<position, value: .object(members))
    }

    private mutating func parseArray() throws(JSONSyntaxError) -> JSONNode {
        let start = position
        try enter()
        position += 1
        var items: [JSONNode] = []
        skipWhitespace()
        if peek == UInt8(ascii: "]") {
            position += 1
        } else {
            while true {
                skipWhitespace()
                items.append(try parseValue())
                skipWhitespace()
                if peek == UInt8(ascii: ",") { position += 1; continue }
                guard peek == UInt8(ascii: "]") else { throw fail("expected `,` or `]`") }
                position += 1
                break
            }
        }
        depth -= 1
        return JSONNode(range: start..<position, value: .array(items))
    }

    /// Reads a string starting at its opening quote; returns its decoded text.
    private mutating func parseString() throws(JSONSyntaxError) -> String {
        position += 1
        let start = position
        // Fast path: no escapes, the text is the bytes between the quotes.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw fail("a control character must be escaped inside a string") }
            position += 1
        }
        var decoded = Array(bytes[start..<position])
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return String(decoding: decoded, as: UTF8.self)
            case UInt8(ascii: "\\"):
                position += 1
                try readEscape(into: &decoded)
            case 0..<0x20:
                throw fail("a control character must be escaped inside a string")
            default:
                decoded.append(byte)
                position += 1
            }
        }
        throw fail("a string is not closed")
    }

    private mutating func readEscape(into decoded: inout [UInt8]) throws(JSONSyntaxError) {
        guard position < bytes.count else { throw fail("unexpected end inside an escape") }
        let byte = bytes[position]
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(byte)
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(0x0A)
        case UInt8(ascii: "r"): decoded.append(0x0D)
        case UInt8(ascii: "t"): decoded.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try readHex4()
            if (0xD800..<0xDC00).contains(scalar), bytes[position...].starts(with: [0x5C, 0x75]) {
                let save = position
                position += 2
                let low = try readHex4()
                if (0xDC00..<0xE000).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    position = save
                }
            }
            // A lone surrogate cannot be UTF-8; it reads as U+FFFD, as JSON decoders do.
            let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
            decoded.append(contentsOf: String(character).utf8)
        default: throw fail("unknown escape `\\\(Character(Unicode.Scalar(byte)))`")
        }
    }

    private mutating func readHex4() throws(JSONSyntaxError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw fail("`\\u` needs four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail("`\\u` needs four hex digits")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    /// Skips a number; returns its value when it is a plain integer.
    private mutating func readNumber() throws(JSONSyntaxError) -> Int? {
        let start = position
        let negative = peek == UInt8(ascii: "-")
        if negative { position += 1 }
        var digits = 0
        var integer: Int? = 0
        while let byte = peek, Self.isNumberByte(byte) {
            position += 1
            digits += 1
            if let value = integer, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
                integer = overflow1 || overflow2 ? nil : sum
            } else {
                integer = nil
            }
        }
        guard digits > 0 else {
            position = start
            throw fail("a number needs digits")
        }
        return negative ? integer.map { -$0 } : integer
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"),
            UInt8(ascii: "+"), UInt8(ascii: "-"):
            return true
        default: return false
        }
    }

    private mutating func expect(_ word: StaticString) throws(JSONSyntaxError) {
        let literal = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard bytes[position...].starts(with: literal) else { throw fail("expected `\(word)`") }
        position += literal.count
    }

    private mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        guard depth <= Self.maxDepth else { throw fail("nested deeper than \(Self.maxDepth) levels") }
    }

    private var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while let byte = peek, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
    }

    private func fail(_ reason: String) -> JSONSyntaxError { JSONSyntaxError(offset: position, reason: reason) }
}
