internal import Foundation

/// What a set of normalizations does to one grapheme cluster: first drop zero-width
/// and bidi controls, then NFKC or width folding, then hiragana to katakana, then
/// lowercase.
///
/// `apply(to:)` is the general and slow way (Strings, Foundation's NFKC);
/// `map(_:traits:)` gives the same answer without Strings for the common one-scalar
/// clusters, or nil when only `apply(to:)` knows.
struct ClusterTransform: Sendable {
    let normalization: Normalization

    func apply(to cluster: Substring) -> String {
        // Each step first checks whether it has anything to do: generic String work
        // is what makes this path slow.
        let scalars = cluster.unicodeScalars
        var text =
            scalars.contains { ScalarTraits.isIgnorable($0.value) }
            ? String(String.UnicodeScalarView(scalars.filter { !ScalarTraits.isIgnorable($0.value) }))
            : String(cluster)
        if normalization.contains(.nfkc) {
            // Foundation on Linux decomposes `ﾊﾞ` to `ハ` + U+3099 but does not compose
            // them again; canonical composition afterwards makes the result true NFKC.
            text = text.precomposedStringWithCompatibilityMapping.precomposedStringWithCanonicalMapping
        } else if normalization.contains(.width) {
            text = Self.foldingWidth(text)
        }
        if normalization.contains(.kana) && text.unicodeScalars.contains(where: { ScalarTraits.isHiragana($0.value) }) {
            text = String(String.UnicodeScalarView(text.unicodeScalars.map { Self.katakana(for: $0.value) }))
        }
        if normalization.contains(.casefold) {
            text = text.lowercased()
        }
        return text
    }

    /// The output of a one-scalar cluster with the given traits, or nil if it needs
    /// `apply(to:)`. Only called for scalars that some selected normalization may change.
    func map(_ scalar: UInt32, traits: ScalarTraits) -> Unicode.Scalar? {
        var value = scalar
        if traits.contains(.widthVariant) && !normalization.isDisjoint(with: [.nfkc, .width]) {
            guard let folded = Self.widthFold(of: value) else { return nil }
            value = folded
        } else if traits.contains(.compatibilityVariant) && normalization.contains(.nfkc) {
            return nil
        }
        if normalization.contains(.kana) {
            value = Self.katakana(for: value).value
        }
        if normalization.contains(.casefold) {
            if (0x41...0x5A).contains(value) {
                value |= 0x20
            } else if ScalarTraits.of(value).contains(.uppercase) {
                return nil
            }
        }
        return Unicode.Scalar(value)
    }

    /// Hiragana to katakana; other scalars unchanged.
    private static func katakana(for value: UInt32) -> Unicode.Scalar {
        Unicode.Scalar(ScalarTraits.isHiragana(value) ? value + 0x60 : value)!
    }

    /// Folds each full-width or half-width form to its ordinary form, then composes
    /// (`ﾊﾞ` folds to `ハ` and a combining voiced mark, which compose to `バ`).
    private static func foldingWidth(_ text: String) -> String {
        var changed = false
        let folded = text.unicodeScalars.flatMap { scalar -> [Unicode.Scalar] in
            guard ScalarTraits.of(scalar.value).contains(.widthVariant) else { return [scalar] }
            changed = true
            return Array(String(scalar).precomposedStringWithCompatibilityMapping.unicodeScalars)
        }
        guard changed else { return text }
        return String(String.UnicodeScalarView(folded)).precomposedStringWithCanonicalMapping
    }

    /// The ordinary form of a full-width or half-width character, when it is one
    /// scalar: the same as its NFKC.
    private static func widthFold(of value: UInt32) -> UInt32? {
        value == 0x3000 ? 0x20 : widthFolds[Int(value - 0xFF00)]
    }

    /// NFKC of U+FF00...U+FFEF when it is one other scalar; nil for unassigned ones.
    private static let widthFolds: [UInt32?] = (0xFF00...0xFFEF).map { value in
        let folded = String(Unicode.Scalar(UInt32(value))!).precomposedStringWithCompatibilityMapping
        let scalars = folded.unicodeScalars
        return scalars.count == 1 && scalars.first!.value != UInt32(value) ? scalars.first!.value : nil
    }
}
