import OutguardBytes

/// Recursive-descent JSON reader over UTF-8 bytes (RFC 8259), bounded in depth so a
/// hostile body cannot exhaust the stack.
///
/// It reads through a buffer pointer, valid only while it runs (a document's parse, or
/// a node decoding its string or number on demand): every
/// byte of every response passes through here, and an array's per-byte bounds and
/// uniqueness checks cost more than the parsing itself.
struct JSONParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0
    private var depth = 0
    /// The values read so far (a document's parse only).
    private var tape = JSONTape.empty
    /// A string's text with its escapes resolved, when it had any.
    private var decoded: [UInt8] = []
    static let maxDepth = 256

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Checks the whole text (`bytes`, which the tape keeps); returns its values in text
    /// order (the root first).
    mutating func parseDocument(keeping bytes: ArraySlice<UInt8>) throws(JSONSyntaxError) -> JSONTape {
        // The tape keeps offsets in 32 bits; no answer comes near (limits bound them far lower).
        guard bytes.count < Int(Int32.max) else { throw fail("the text is larger than 2 GiB") }
        // API bodies have a value every 8 to 20 bytes: one allocation for most.
        tape = JSONTape(for: bytes, room: bytes.count / 8 + 4)
        skipWhitespace()
        try parseValue()
        skipWhitespace()
        guard position == self.bytes.count else { throw fail("unexpected text after the value") }
        return tape
    }

    // Inlined: it runs for every value of every response, and a call each was 5% of a stream's time.
    @inline(__always)
    private mutating func append(_ entry: JSONTape.Entry) {
        if tape.count == tape.room { tape = tape.resized(to: tape.room * 2) }
        tape.append(entry)
    }

    /// The text of the string (checked when the document was parsed) at `range`.
    static func decodedString(in bytes: UnsafeBufferPointer<UInt8>, at range: Range<Int>) -> String {
        String(decoding: decodedBytes(in: bytes, at: range), as: UTF8.self)
    }

    /// The bytes of the text of the string (checked when the document was parsed) at
    /// `range`, escapes resolved.
    static func decodedBytes(in bytes: UnsafeBufferPointer<UInt8>, at range: Range<Int>) -> [UInt8] {
        var parser = JSONParser(bytes: UnsafeBufferPointer(rebasing: bytes[..<range.upperBound]))
        parser.position = range.lowerBound
        // Decoded text is never longer than its JSON: one allocation instead of one per doubling.
        parser.decoded.reserveCapacity(range.count)
        guard let escaped = try? parser.readString(keepingText: true) else { return [] }
        return escaped ? parser.decoded : Array(bytes[(range.lowerBound + 1)..<(range.upperBound - 1)])
    }

    /// The value of the number (checked when the document was parsed) at `range`, when
    /// it is an integer that fits in `Int`.
    static func integer(in bytes: UnsafeBufferPointer<UInt8>, at range: Range<Int>) -> Int? {
        // Read in place, without a parser: adapters read a choice's index in every event.
        var index = range.lowerBound
        let negative = index < range.upperBound && bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < range.upperBound else { return nil }
        var value = 0
        while index < range.upperBound {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowAgain) =
                negative ? times.subtractingReportingOverflow(Int(digit)) : times.addingReportingOverflow(Int(digit))
            guard !overflow, !overflowAgain else { return nil }
            value = next
            index += 1
        }
        return value
    }

    /// The string value of the top-level member `key` of the object in `bytes`; nil when
    /// there is none, it is not a string, or the text is not a JSON object. Reads only as
    /// far as that member and records nothing: the log wants a request's `model`, and a
    /// request can carry a long conversation after it.
    static func topLevelString(_ key: String, in bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var parser = JSONParser(bytes: bytes)
        var key = key
        return key.withUTF8 { key in (try? parser.findString(key)) ?? nil }
    }

    private mutating func findString(_ key: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) -> String? {
        skipWhitespace()
        guard peek == UInt8(ascii: "{") else { return nil }
        position += 1
        while true {
            skipWhitespace()
            guard peek == UInt8(ascii: "\"") else { return nil }
            let start = position
            let escaped = try readString(keepingText: true)
            let isKey =
                escaped
                ? decoded.elementsEqual(key)
                : UnsafeBufferPointer(rebasing: bytes[(start + 1)..<(position - 1)]).elementsEqual(key)
            skipWhitespace()
            guard peek == UInt8(ascii: ":") else { return nil }
            position += 1
            skipWhitespace()
            if isKey { return peek == UInt8(ascii: "\"") ? try readText() : nil }
            try skipValue()
            skipWhitespace()
            guard peek == UInt8(ascii: ",") else { return nil }
            position += 1
        }
    }

    /// Moves past one value without recording it (strings are still read whole, so a
    /// bracket inside one is not taken for structure).
    private mutating func skipValue() throws(JSONSyntaxError) {
        var depth = 0
        repeat {
            guard let byte = peek else { throw fail("unexpected end") }
            switch byte {
            case UInt8(ascii: "\""): _ = try readString()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                position += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard depth > 0 else { return }
                depth -= 1
                position += 1
            case UInt8(ascii: ","), 0x20, 0x0A, 0x0D, 0x09:
                // The end of a number or literal at the top; inside a container, a separator.
                guard depth > 0 else { return }
                position += 1
            default: position += 1
            }
        } while true
    }

    private mutating func parseValue() throws(JSONSyntaxError) {
        guard position < bytes.count else { throw fail("unexpected end") }
        let start = position
        let kind: JSONNode.Kind
        var escaped = false
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""):
            kind = .string
            escaped = try readString()
        case UInt8(ascii: "t"): try expect("true"); kind = .bool
        case UInt8(ascii: "f"): try expect("false"); kind = .bool
        case UInt8(ascii: "n"): try expect("null"); kind = .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try readNumber()
            kind = .number
        default: throw fail("expected a value")
        }
        append(
            JSONTape.Entry(
                kind: kind, escaped: escaped, start: Int32(start), end: Int32(position), next: Int32(tape.count + 1)))
    }

    /// Appends a container's entry before its members; `close` fills in where it ends.
    private mutating func open(_ kind: JSONNode.Kind) throws(JSONSyntaxError) -> Int {
        depth += 1
        guard depth <= Self.maxDepth else { throw fail("nested deeper than \(Self.maxDepth) levels") }
        append(JSONTape.Entry(kind: kind, start: Int32(position), end: 0, next: 0))
        position += 1
        skipWhitespace()
        return tape.count - 1
    }

    private mutating func close(_ container: Int) {
        depth -= 1
        tape[container].end = Int32(position)
        tape[container].next = Int32(tape.count)
    }

    private mutating func parseObject() throws(JSONSyntaxError) {
        let object = try open(.object)
        if peek == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                skipWhitespace()
                guard peek == UInt8(ascii: "\"") else { throw fail("expected a key in quotes") }
                let start = position
                let escaped = try readString()
                append(
                    JSONTape.Entry(
                        kind: .key, escaped: escaped, start: Int32(start), end: Int32(position),
                        next: Int32(tape.count + 1)))
                skipWhitespace()
                guard peek == UInt8(ascii: ":") else { throw fail("expected `:` after a key") }
                position += 1
                skipWhitespace()
                try parseValue()
                skipWhitespace()
                if peek == UInt8(ascii: ",") { position += 1; continue }
                guard peek == UInt8(ascii: "}") else { throw fail("expected `,` or `}`") }
                position += 1
                break
            }
        }
        close(object)
    }

    private mutating func parseArray() throws(JSONSyntaxError) {
        let array = try open(.array)
        if peek == UInt8(ascii: "]") {
            position += 1
        } else {
            while true {
                skipWhitespace()
                try parseValue()
                skipWhitespace()
                if peek == UInt8(ascii: ",") { position += 1; continue }
                guard peek == UInt8(ascii: "]") else { throw fail("expected `,` or `]`") }
                position += 1
                break
            }
        }
        close(array)
    }

    /// Reads a string from its opening quote past its closing one, checking it; returns
    /// whether it has escapes. With `keepingText`, an escaped string's text is left in
    /// `decoded`; parsing only checks, as most strings are never read. Runs of plain
    /// bytes are copied at once: model output is full of `\n`.
    private mutating func readString(keepingText keep: Bool = false) throws(JSONSyntaxError) -> Bool {
        position += 1
        var escaped = false
        var run = position
        while position < bytes.count {
            skipPlainBytes()
            guard position < bytes.count else { break }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                if escaped && keep { decoded.append(contentsOf: bytes[run..<position]) }
                position += 1
                return escaped
            }
            if byte == UInt8(ascii: "\\") {
                if !escaped {
                    decoded.removeAll(keepingCapacity: true)
                    escaped = true
                }
                if keep { decoded.append(contentsOf: bytes[run..<position]) }
                position += 1
                try readEscape()
                if !keep { decoded.removeAll(keepingCapacity: true) }
                run = position
                continue
            }
            if byte < 0x20 { throw fail("a control character must be escaped inside a string") }
            position += 1
        }
        throw fail("a string is not closed")
    }

    /// Moves to the next byte inside a string that needs a look (a quote, a backslash or
    /// a control character), or to the last few bytes of the text. Strings are most of
    /// an answer's bytes.
    private mutating func skipPlainBytes() {
        position = ByteSearch.skip(in: bytes, from: position, flags: ByteSearch.quoteBackslashOrControl)
    }

    /// Reads a string from its opening quote; returns its text, escapes resolved.
    private mutating func readText() throws(JSONSyntaxError) -> String {
        let start = position
        guard try readString(keepingText: true) else {
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[(start + 1)..<(position - 1)]), as: UTF8.self)
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    /// Reads the escape after a backslash into `decoded`.
    private mutating func readEscape() throws(JSONSyntaxError) {
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

    /// Skips a number (its value is read when asked for: `integer(in:at:)`).
    private mutating func readNumber() throws(JSONSyntaxError) {
        let start = position
        if peek == UInt8(ascii: "-") { position += 1 }
        let digitsStart = position
        while let byte = peek, Self.isNumberByte(byte) { position += 1 }
        guard position > digitsStart else {
            position = start
            throw fail("a number needs digits")
        }
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

    private var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while let byte = peek, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
    }

    private func fail(_ reason: String) -> JSONSyntaxError { JSONSyntaxError(offset: position, reason: reason) }
}
