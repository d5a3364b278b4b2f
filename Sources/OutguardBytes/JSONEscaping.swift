/// Text as the inside of a JSON string: what both the proxy (a redacted text put back
/// into an answer) and the log (every string of every record) write, so the two agree
/// byte for byte. Hand-written because it runs over every byte they write and no library
/// here appends to a byte buffer without building strings or boxed values first.
public enum JSONEscaping {
    /// Appends `utf8` (valid UTF-8) escaped as RFC 8259 requires: quote, backslash and
    /// control characters, the short forms where JSON has one (`\n`, `\t`, …) and `\u00XX`
    /// for the rest; everything else, non-ASCII text included, as it is. Runs that need no
    /// escape are found eight bytes at a time and copied at once.
    @inlinable
    public static func append(_ utf8: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        var runStart = 0
        var index = 0
        while index < utf8.count {
            index = ByteSearch.skip(in: utf8, from: index, flags: ByteSearch.quoteBackslashOrControl)
            // Under eight bytes left, or at a byte to escape: byte by byte to the next one.
            while index < utf8.count, !needsEscape(utf8[index]) { index += 1 }
            guard index < utf8.count else { break }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
            appendEscape(of: utf8[index], to: &output)
            index += 1
            runStart = index
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
    }

    @inlinable @inline(__always)
    static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    @inlinable
    static func appendEscape(of byte: UInt8, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): output.append(byte)
        case 0x0A: output.append(UInt8(ascii: "n"))
        case 0x0D: output.append(UInt8(ascii: "r"))
        case 0x09: output.append(UInt8(ascii: "t"))
        case 0x08: output.append(UInt8(ascii: "b"))
        case 0x0C: output.append(UInt8(ascii: "f"))
        default:
            // Control characters are below U+0020: `\u00` and two hex digits.
            output.append(UInt8(ascii: "u"))
            output.append(UInt8(ascii: "0"))
            output.append(UInt8(ascii: "0"))
            output.append(hexDigit(byte >> 4))
            output.append(hexDigit(byte & 0x0F))
        }
    }

    @inlinable @inline(__always)
    static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
}
