/// Counts the Unicode scalars of valid UTF-8: every byte but a continuation byte
/// (`10xxxxxx`) starts one.
///
/// Eight bytes at a time: character spans and the hold-back limit count over whole
/// windows of a stream, many times per answer.
enum ScalarCount {
    static func of(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var continuations = 0
        var index = 0
        if let base = UnsafeRawPointer(bytes.baseAddress) {
            while index + 8 <= bytes.count {
                let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                // A continuation byte has its top bit set and the bit below it clear;
                // the shift moves each byte's bit 6 under its own bit 7.
                continuations += (word & ~(word << 1) & 0x8080_8080_8080_8080).nonzeroBitCount
                index += 8
            }
        }
        while index < bytes.count {
            if bytes[index] & 0xC0 == 0x80 { continuations += 1 }
            index += 1
        }
        return bytes.count - continuations
    }
}
