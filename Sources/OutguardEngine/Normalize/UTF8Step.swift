/// One step of decoding UTF-8 that may be cut short at the end of a stream chunk.
///
/// The normalizer decodes by hand rather than through `String` so that the common
/// characters never build one; a truncated sequence at the end of a chunk is not an
/// error yet, because the next chunk may complete it.
enum UTF8Step {
    case scalar(UInt32, length: Int)
    /// The bytes at the position are the longest start of a sequence that cannot be
    /// completed: one U+FFFD for all of them, as `String(decoding:as:)` does.
    case invalid(length: Int)
    /// A valid prefix of a sequence runs into the end of the input.
    case incomplete

    /// Decodes the sequence at `index` of `bytes` (index < count). Without `isFinal`,
    /// a sequence cut by the end is `incomplete`; with it, `invalid`.
    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, isFinal: Bool) -> UTF8Step {
        let lead = bytes[index]
        if lead < 0x80 { return .scalar(UInt32(lead), length: 1) }
        // Most of Japanese: three bytes after a lead that puts no extra limit on the second.
        if lead & 0xF0 == 0xE0 && lead != 0xE0 && lead != 0xED && index + 2 < bytes.count {
            let second = bytes[index + 1]
            let third = bytes[index + 2]
            if second & 0xC0 == 0x80 && third & 0xC0 == 0x80 {
                let value = UInt32(lead & 0x0F) << 12 | UInt32(second & 0x3F) << 6 | UInt32(third & 0x3F)
                return .scalar(value, length: 3)
            }
        }
        // Valid second bytes are narrower after some leads: no overlong forms, no
        // surrogates, nothing past U+10FFFF.
        let (length, secondRange): (Int, ClosedRange<UInt8>)
        switch lead {
        case 0xC2...0xDF: (length, secondRange) = (2, 0x80...0xBF)
        case 0xE0: (length, secondRange) = (3, 0xA0...0xBF)
        case 0xED: (length, secondRange) = (3, 0x80...0x9F)
        case 0xE1...0xEF: (length, secondRange) = (3, 0x80...0xBF)
        case 0xF0: (length, secondRange) = (4, 0x90...0xBF)
        case 0xF4: (length, secondRange) = (4, 0x80...0x8F)
        case 0xF1...0xF3: (length, secondRange) = (4, 0x80...0xBF)
        default: return .invalid(length: 1)
        }
        var value = UInt32(lead) & (0x7F >> UInt32(length))
        for offset in 1..<length {
            guard index + offset < bytes.count else { return isFinal ? .invalid(length: offset) : .incomplete }
            let byte = bytes[index + offset]
            let valid = offset == 1 ? secondRange.contains(byte) : (0x80...0xBF).contains(byte)
            guard valid else { return .invalid(length: offset) }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        return .scalar(value, length: length)
    }
}
