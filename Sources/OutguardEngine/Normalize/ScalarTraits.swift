/// What the normalizer needs to know about one Unicode scalar, in one byte, so that the
/// common characters cost one table lookup and no String work.
struct ScalarTraits: OptionSet, Sendable {
    let rawValue: UInt8

    /// A grapheme cluster boundary lies between any two plain scalars: the scalar is
    /// none of the kinds that extend, prepend or pair up (marks, format and control
    /// characters, Hangul jamo, regional indicators, emoji modifiers, prepended
    /// concatenation marks, Thai/Lao SARA AM). ASCII except CR is plain.
    static let plain = ScalarTraits(rawValue: 1 << 0)
    /// NFKC may change it (a superset: `changesWhenNFKCCaseFolded`).
    static let compatibilityVariant = ScalarTraits(rawValue: 1 << 1)
    /// Lowercase mapping changes it.
    static let uppercase = ScalarTraits(rawValue: 1 << 2)
    /// A full-width or half-width form, or the ideographic space.
    static let widthVariant = ScalarTraits(rawValue: 1 << 3)

    /// The traits of `scalar` (a valid scalar value).
    static func of(_ scalar: UInt32) -> ScalarTraits {
        of(scalar, basicPlane: basicPlane)
    }

    /// The traits of `scalar`, for loops that read `basicPlane` once.
    @inline(__always)
    static func of(_ scalar: UInt32, basicPlane: [ScalarTraits]) -> ScalarTraits {
        scalar < 0x10000 ? basicPlane[Int(scalar)] : computed(for: scalar)
    }

    /// Traits of the Basic Multilingual Plane, computed once (about 20 ms).
    static let basicPlane: [ScalarTraits] = (0..<0x10000).map { value in
        computed(for: UInt32(value))
    }

    /// Zero-width and bidi control characters, dropped by every normalization. They
    /// are all format characters, so never plain: they always reach `ClusterTransform`.
    static func isIgnorable(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x00AD, 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x2069, 0xFEFF:
            true
        default:
            false
        }
    }

    /// Hiragana that has a katakana 0x60 scalars later: ぁ...ゖ, ゝ, ゞ.
    @inline(__always)
    static func isHiragana(_ scalar: UInt32) -> Bool {
        scalar &- 0x3041 <= 0x3096 - 0x3041 || scalar &- 0x309D <= 1
    }

    private static func computed(for value: UInt32) -> ScalarTraits {
        guard let scalar = Unicode.Scalar(value) else { return [] }  // surrogates
        let properties = scalar.properties
        var traits: ScalarTraits = []
        if isPlain(scalar) { traits.insert(.plain) }
        if properties.changesWhenNFKCCaseFolded { traits.insert(.compatibilityVariant) }
        if properties.changesWhenLowercased { traits.insert(.uppercase) }
        if (0xFF00...0xFFEF).contains(value) || value == 0x3000 { traits.insert(.widthVariant) }
        return traits
    }

    /// Grapheme_Cluster_Break = Other (or a Hangul syllable), excluding Prepend; the
    /// exclusions are conservative: a scalar wrongly left out only takes the slow path.
    /// Extended_Pictographic and Indic consonants may be plain: the rules that join
    /// them (GB11, GB9c) need a ZWJ or a virama before them, which are not plain.
    private static func isPlain(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 { return value != 0x0D }  // CR joins a following LF
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .control, .format,
            .lineSeparator, .paragraphSeparator, .surrogate, .unassigned:
            return false
        default:
            break
        }
        if scalar.properties.isGraphemeExtend || scalar.properties.isEmojiModifier { return false }
        switch value {
        case 0x0D4E,  // Malayalam letter dot reph: Prepend
            0x0E33, 0x0EB3,  // Thai and Lao SARA AM: SpacingMark
            0x1100...0x11FF, 0xA960...0xA97F, 0xD7B0...0xD7FF,  // Hangul jamo L, V, T
            0x1F1E6...0x1F1FF,  // regional indicators pair up
            0x11000...0x11FFF:  // Brahmic scripts with Prepend letters
            return false
        default:
            return true
        }
    }
}
