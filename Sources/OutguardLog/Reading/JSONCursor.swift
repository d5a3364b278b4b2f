#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a line of a log file is not a record; shown next to the line's position.
struct BadLine: Error, Equatable {
    let reason: String
}

/// A cursor over one JSON text in memory, with just what the flat log records need:
/// strings, integers, numbers, booleans, and skipping any value (for keys the reader
/// does not know). It reads the bytes in place; only the values asked for become Swift
/// values.
struct JSONCursor {
    private let bytes: UnsafeRawBufferPointer
    private var index = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    var isAtEnd: Bool {
        mutating get {
            skipWhitespace()
            return index == bytes.count
        }
    }

    /// Consumes `byte` (after whitespace) when it comes next.
    mutating func skip(_ byte: Unicode.Scalar) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: byte) else { return false }
        index += 1
        return true
    }

    mutating func expect(_ byte: Unicode.Scalar) throws(BadLine) {
        guard skip(byte) else { throw unexpected(expecting: "'\(byte)'") }
    }

    /// Consumes a `null` when it comes next.
    mutating func skipNull() -> Bool {
        skipWhitespace()
        guard bytes.count - index >= 4, bytes[index] == UInt8(ascii: "n"), bytes[index + 1] == UInt8(ascii: "u"),
            bytes[index + 2] == UInt8(ascii: "l"), bytes[index + 3] == UInt8(ascii: "l")
        else { return false }
        index += 4
        return true
    }

    /// A string's bytes as written between its quotes, and whether they hold escapes.
    mutating func rawString() throws(BadLine) -> (bytes: UnsafeRawBufferPointer, escaped: Bool) {
        try expect("\"")
        guard let base = bytes.baseAddress else { throw BadLine(reason: "a string does not end") }
        let start = index
        // Most strings are keys and short values: their bytes are looked at directly,
        // which is cheaper than a call.
        for scan in start..<min(bytes.count, start + 24) {
            if bytes[scan] == 0x5C { break }
            if bytes[scan] == 0x22 {
                index = scan + 1
                return (UnsafeRawBufferPointer(rebasing: bytes[start..<scan]), false)
            }
        }
        // memchr finds the closing quote of a long text with vector instructions. A
        // quote after an odd run of backslashes is escaped.
        while let quote = memchr(base + index, 0x22, bytes.count - index) {
            let end = base.distance(to: UnsafeRawPointer(quote))
            var backslashes = 0
            while end - backslashes > start, bytes[end - backslashes - 1] == UInt8(ascii: "\\") { backslashes += 1 }
            index = end + 1
            if backslashes % 2 == 0 {
                let escaped = memchr(base + start, 0x5C, end - start) != nil
                return (UnsafeRawBufferPointer(rebasing: bytes[start..<end]), escaped)
            }
        }
        throw BadLine(reason: "a string does not end")
    }

    mutating func string() throws(BadLine) -> String {
        let (raw, escaped) = try rawString()
        return escaped ? try Self.unescape(raw) : String(decoding: raw, as: UTF8.self)
    }

    mutating func integer() throws(BadLine) -> Int {
        skipWhitespace()
        let start = index
        let text = numberBytes()
        var value = 0
        var negative = false
        for (offset, byte) in text.enumerated() {
            if offset == 0, byte == UInt8(ascii: "-"), text.count > 1 {
                negative = true
                continue
            }
            let digit = Int(byte) &- 48
            guard (0...9).contains(digit), value < Int.max / 10 - 9 else {
                throw unexpected(expecting: "an integer", at: start)
            }
            value = value * 10 + digit
        }
        guard !text.isEmpty else { throw unexpected(expecting: "an integer", at: start) }
        return negative ? -value : value
    }

    mutating func number() throws(BadLine) -> Double {
        skipWhitespace()
        let start = index
        guard let value = Double(String(decoding: numberBytes(), as: UTF8.self)) else {
            throw unexpected(expecting: "a number", at: start)
        }
        return value
    }

    mutating func bool() throws(BadLine) -> Bool {
        skipWhitespace()
        let start = index
        let word = numberBytes()
        if word.elementsEqual("true".utf8) { return true }
        if word.elementsEqual("false".utf8) { return false }
        throw unexpected(expecting: "true or false", at: start)
    }

    /// Skips one value of any kind, nested or not, without building it.
    mutating func skipValue() throws(BadLine) {
        skipWhitespace()
        guard index < bytes.count else { throw unexpected(expecting: "a value") }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            _ = try rawString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            // Brackets are counted, not matched by kind: the reader only needs to find
            // where the value ends, and strings are skipped whole so their brackets do
            // not count.
            var depth = 0
            repeat {
                switch bytes[index] {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                    index += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    index += 1
                case UInt8(ascii: "\""):
                    _ = try rawString()
                default:
                    index += 1
                }
            } while depth > 0 && index < bytes.count
            guard depth == 0 else { throw BadLine(reason: "an object or array does not end") }
        default:
            guard !numberBytes().isEmpty else { throw unexpected(expecting: "a value") }
        }
    }

    /// The bytes of a bare value (number, true, false), up to the next delimiter.
    private mutating func numberBytes() -> UnsafeRawBufferPointer {
        skipWhitespace()
        let start = index
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D: break
            default:
                index += 1
                continue
            }
            break
        }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<index])
    }

    private mutating func skipWhitespace() {
        while index < bytes.count,
            bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A
                || bytes[index] == 0x0D
        {
            index += 1
        }
    }

    /// Says what was expected where; `at` defaults to the cursor (after whitespace).
    private mutating func unexpected(expecting what: String, at position: Int? = nil) -> BadLine {
        skipWhitespace()
        let position = position ?? index
        guard position < bytes.count else { return BadLine(reason: "the line ends where \(what) should be") }
        return BadLine(reason: "expected \(what) at column \(position + 1)")
    }

    /// Decodes `\n`, `\"`, `\uXXXX` (with surrogate pairs) and the other JSON escapes.
    static func unescape(_ raw: UnsafeRawBufferPointer) throws(BadLine) -> String {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(raw.count)
        var index = 0
        func hex(at start: Int) throws(BadLine) -> UInt32 {
            guard start + 4 <= raw.count,
                let value = UInt32(
                    String(decoding: UnsafeRawBufferPointer(rebasing: raw[start..<start + 4]), as: UTF8.self), radix: 16
                )
            else { throw BadLine(reason: "a \\u escape needs four hex digits") }
            return value
        }
        while index < raw.count {
            let byte = raw[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < raw.count else {
                utf8.append(byte)
                index += 1
                continue
            }
            let escape = raw[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
            case UInt8(ascii: "u"):
                var value = try hex(at: index)
                index += 4
                if (0xD800..<0xDC00).contains(value), index + 6 <= raw.count, raw[index] == UInt8(ascii: "\\"),
                    raw[index + 1] == UInt8(ascii: "u")
                {
                    let low = try hex(at: index + 2)
                    if (0xDC00..<0xE000).contains(low) {
                        value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    }
                }
                // A lone surrogate is not a character: it becomes U+FFFD, as invalid UTF-8 does.
                UTF8.encode(Unicode.Scalar(value) ?? "\u{FFFD}") { utf8.append($0) }
            default:
                throw BadLine(reason: "unknown escape \\\(Unicode.Scalar(escape))")
            }
        }
        return String(decoding: utf8, as: UTF8.self)
    }
}
