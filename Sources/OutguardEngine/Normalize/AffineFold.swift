/// The normalizations that keep every scalar's UTF-8 length, and so every byte's
/// origin: ASCII lowercase (casefold) and hiragana to katakana (kana).
///
/// They are applied in place to whole runs of text once they are in the buffer, so
/// that English and Japanese text under casefold and kana still flows through the
/// normalizer's bulk path as one affine run instead of one change per character.
struct AffineFold: Sendable {
    let lowercasesASCII: Bool
    let katakanizes: Bool

    init(_ normalization: Normalization) {
        lowercasesASCII = normalization.contains(.casefold)
        katakanizes = normalization.contains(.kana)
    }

    /// Folds valid UTF-8 that starts at a scalar boundary.
    func apply(to bytes: UnsafeMutableBufferPointer<UInt8>) {
        if lowercasesASCII {
            // Bytes of multi-byte sequences are all ≥ 0x80: this touches only ASCII
            // letters, and is simple enough to vectorize.
            for index in bytes.indices {
                let byte = bytes[index]
                bytes[index] = byte &- 0x41 < 26 ? byte | 0x20 : byte
            }
        }
        if katakanizes {
            // Step scalar by scalar; hiragana is E3 81 81...E3 82 9E.
            var index = 0
            while index + 2 < bytes.count {
                let lead = bytes[index]
                if lead < 0x80 {
                    index = Self.asciiRunEnd(UnsafeBufferPointer(bytes), from: index + 1)
                    continue
                }
                // Japanese mixes kanji and hiragana unpredictably: compute the
                // katakana for every scalar and select, rather than branch.
                let second = bytes[index + 1]
                let third = bytes[index + 2]
                let value = 0x3000 | UInt32(second & 0x3F) << 6 | UInt32(third & 0x3F)
                let shift: UInt32 = lead == 0xE3 && ScalarTraits.isHiragana(value) ? 0x60 : 0
                let katakana = value + shift
                bytes[index + 1] = shift == 0 ? second : 0x80 | UInt8(truncatingIfNeeded: katakana >> 6 & 0x3F)
                bytes[index + 2] = shift == 0 ? third : 0x80 | UInt8(truncatingIfNeeded: katakana & 0x3F)
                index += (~lead).leadingZeroBitCount
            }
        }
    }

    /// Whether folding `original` (valid UTF-8 from a scalar boundary) gives `normalized`.
    func reproduces(_ normalized: UnsafeBufferPointer<UInt8>, from original: UnsafeBufferPointer<UInt8>) -> Bool {
        guard normalized.count == original.count else { return false }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: original.count) { scratch in
            _ = scratch.initialize(fromContentsOf: original)
            apply(to: scratch)
            return scratch.elementsEqual(normalized)
        }
    }

    /// The end of the ASCII run from `start`, eight bytes at a time.
    private static func asciiRunEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        if let base = UnsafeRawPointer(bytes.baseAddress) {
            while index + 8 <= bytes.count
                && base.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0
            {
                index += 8
            }
        }
        while index < bytes.count && bytes[index] < 0x80 { index += 1 }
        return index
    }
}
