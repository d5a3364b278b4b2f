/// Finds the next byte of interest eight bytes at a time, by the classic word-at-a-time
/// tests. The framing and the JSON parser look at every byte of every response, and a
/// test per byte was a third of their time; `JSONEscaping` runs it over every string the
/// proxy and the log write. No library here offers this for a set of bytes (`memchr` finds
/// one). Inlinable: a call per word would cost more than the test.
public enum ByteSearch {
    // Computed, not stored: a stored global is reached through its initializer's check,
    // which other modules cannot fold into the loop.
    @inlinable static var ones: UInt64 { 0x0101_0101_0101_0101 }
    @inlinable static var highBits: UInt64 { 0x8080_8080_8080_8080 }

    /// The high bit of each byte of `word` equal to `byte`. A byte can be flagged wrongly
    /// only above a rightly flagged one (the subtraction's borrow), so the lowest flag
    /// of this test, or of several joined with `|`, is exact.
    @inlinable @inline(__always)
    public static func equal(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let difference = word ^ (ones &* UInt64(byte))
        return (difference &- ones) & ~difference & highBits
    }

    /// The high bit of each byte of `word` below `limit` (at most 128), lowest flag exact.
    @inlinable @inline(__always)
    public static func below(_ word: UInt64, _ limit: UInt8) -> UInt64 {
        (word &- ones &* UInt64(limit)) & ~word & highBits
    }

    /// The bytes a JSON string cannot hold as they are: a quote, a backslash or a
    /// control character.
    @inlinable @inline(__always)
    public static func quoteBackslashOrControl(_ word: UInt64) -> UInt64 {
        equal(word, UInt8(ascii: "\"")) | equal(word, UInt8(ascii: "\\")) | below(word, 0x20)
    }

    /// The index of the first byte at or after `start` for which `flags` sets the high
    /// bit, or where fewer than eight bytes are left: the caller reads on byte by byte.
    @inlinable @inline(__always)
    public static func skip(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, flags: (UInt64) -> UInt64) -> Int {
        guard let base = bytes.baseAddress else { return start }
        var position = start
        while position + 8 <= bytes.count {
            // The lowest-addressed byte in the lowest bits, whatever the platform's order.
            let word = UInt64(littleEndian: UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self))
            let found = flags(word)
            if found != 0 { return position + found.trailingZeroBitCount / 8 }
            position += 8
        }
        return position
    }
}
