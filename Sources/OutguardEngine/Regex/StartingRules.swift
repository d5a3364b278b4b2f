/// For each byte value, the rules whose matches can start with it, as `RuleBits` words.
///
/// A stream step searches a rule only if its new text holds a byte that can start it;
/// with this table that test is one load and OR per new byte, whatever the number of
/// rules, instead of building a byte set and intersecting it with every rule's.
struct StartingRules: Sendable {
    /// `RuleBits` words per byte value.
    private let wordsPerByte: Int
    /// Byte-major: the words of byte `b` are `masks[b * wordsPerByte ..< (b + 1) * wordsPerByte]`.
    private let masks: [UInt64]

    /// `firstBytes[i]` holds the bytes that can start rule `i`; nil means any byte can.
    init(firstBytes: [ByteSet?]) {
        let wordsPerByte = max(1, (firstBytes.count + 63) / 64)
        var masks = [UInt64](repeating: 0, count: 256 * wordsPerByte)
        for (rule, bytes) in firstBytes.enumerated() {
            for byte in 0..<256 where bytes?.contains(UInt8(byte)) ?? true {
                masks[byte * wordsPerByte + rule / 64] |= 1 << UInt64(rule % 64)
            }
        }
        self.wordsPerByte = wordsPerByte
        self.masks = masks
    }

    /// Adds to `rules` every rule that some byte of `bytes` can start.
    func insert(startingIn bytes: UnsafeBufferPointer<UInt8>, into rules: inout RuleBits) {
        masks.withUnsafeBufferPointer { masks in
            for word in 0..<wordsPerByte {
                var union: UInt64 = 0
                for byte in bytes { union |= masks[Int(byte) &* wordsPerByte &+ word] }
                rules.formUnion(union, inWord: word)
            }
        }
    }
}
