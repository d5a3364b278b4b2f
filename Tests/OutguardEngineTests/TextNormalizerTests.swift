import PropertyBased
import Testing

@testable import OutguardEngine

/// What normalizing a text produced: the bytes and, per normalized byte, its original range.
private struct Normalized: Equatable, CustomStringConvertible {
    var text: [UInt8]
    var origins: [Range<Int>]
    var originalEnd: Int

    var description: String { "\(String(decoding: text, as: UTF8.self).debugDescription) \(origins)" }
}

/// Feeds `original` cut at `cuts` (non-final calls, re-feeding what was not consumed),
/// then the rest with `isFinal`.
private func normalize(_ original: [UInt8], _ normalization: Normalization, cuts: [Int] = []) -> Normalized {
    let normalizer = TextNormalizer(normalization)
    var buffer = NormalizedBuffer()
    var consumed = 0
    for cut in cuts.map({ min($0, original.count) }).sorted() where cut > consumed {
        consumed += original[consumed..<cut].withUnsafeBufferPointer {
            normalizer.append($0, isFinal: false, to: &buffer)
        }
        #expect(buffer.originalEnd == consumed)
    }
    let rest = original.count - consumed
    let final = original[consumed...].withUnsafeBufferPointer { normalizer.append($0, isFinal: true, to: &buffer) }
    #expect(final == rest)
    return Normalized(
        text: buffer.withBytes { Array($0) },
        origins: (0..<buffer.end).map { buffer.originalRange(of: $0..<($0 + 1)) },
        originalEnd: buffer.originalEnd)
}

private func normalized(_ text: String, _ normalization: Normalization) -> String {
    String(decoding: normalize(Array(text.utf8), normalization).text, as: UTF8.self)
}

@Test func widthFoldsHalfWidthKatakanaWithVoicedMarks() {
    #expect(normalized("ﾊﾞｶ", .width) == "バカ")
    #expect(normalized("ﾊﾟﾝ", .width) == "パン")
    #expect(normalized("ﾊﾞｶ", .nfkc) == "バカ")
    #expect(normalized("ＡＣＭＥ\u{3000}Ｃｏｒｐ", .width) == "ACME Corp")
    // Only width forms: other compatibility characters stay.
    #expect(normalized("ﬁ①", .width) == "ﬁ①")
}

@Test func nfkcFoldsCompatibilityCharacters() {
    #expect(normalized("０９０－１２３４", .nfkc) == "090-1234")
    #expect(normalized("ﬁle ① ㈱", .nfkc) == "file 1 (株)")
    #expect(normalized("cafe\u{301}", .nfkc) == "café")
}

@Test func kanaTurnsHiraganaIntoKatakana() {
    #expect(normalized("ばか", .kana) == "バカ")
    #expect(normalized("いすゞ ゝ", .kana) == "イスヾ ヽ")
    #expect(normalized("ばか", []) == "ばか")
}

@Test func casefoldLowercases() {
    #expect(normalized("ＡＣＭＥ", [.width, .casefold]) == "acme")
    #expect(normalized("Hello ÀÉ ΣΑΣ", .casefold) == "hello àé σασ")
    #expect(normalized("ｱｸﾒ ACME", [.nfkc, .casefold, .width, .kana]) == "アクメ acme")
}

@Test func zeroWidthAndBidiControlsAreAlwaysDropped() {
    // They must never take the fast paths, which know nothing of dropping.
    let ignorables = (0..<0x10000).filter { ScalarTraits.isIgnorable(UInt32($0)) }
    #expect(ignorables.count == 21)
    #expect(ignorables.allSatisfy { !ScalarTraits.basicPlane[$0].contains(.plain) })
    for normalization in [Normalization(), .nfkc, [.casefold, .kana]] {
        #expect(normalized("sec\u{200B}ret", normalization) == "secret")
        #expect(normalized("pa\u{200D}ss\u{AD}wo\u{202E}rd\u{FEFF}", normalization) == "password")
        #expect(normalized("秘\u{2060}密", normalization) == "秘密")
    }
}

@Test func unchangedTextIsOneAffineRun() {
    let text = "Plain ASCII, then 日本語のテキスト。\n"
    let result = normalize(Array(text.utf8), [.nfkc, .casefold])
    #expect(String(decoding: result.text, as: UTF8.self) == "plain ascii, then 日本語のテキスト。\n")
    // Each byte maps to the scalar at the same offset: one affine run.
    var scalarOfEachByte: [Range<Int>] = []
    for scalar in text.unicodeScalars {
        let start = scalarOfEachByte.count
        scalarOfEachByte += Array(repeating: start..<(start + UTF8.width(scalar)), count: UTF8.width(scalar))
    }
    #expect(result.origins == scalarOfEachByte)
}

@Test func aMatchOnNormalizedTextMapsToTheOriginalCharacters() {
    let original = Array("電話は０９０－１２３４です".utf8)
    let result = normalize(original, .nfkc)
    #expect(String(decoding: result.text, as: UTF8.self) == "電話は090-1234です")
    let match = result.text.firstRange(of: Array("090".utf8))!
    let covered = result.origins[match.lowerBound].lowerBound..<result.origins[match.upperBound - 1].upperBound
    #expect(covered == original.firstRange(of: Array("０９０".utf8)))
}

@Test func partOfAClusterOutputTakesTheWholeCluster() {
    let original = Array("xﬁy".utf8)  // ﬁ is bytes 1..<4
    var buffer = NormalizedBuffer()
    _ = original.withUnsafeBufferPointer { TextNormalizer(.nfkc).append($0, isFinal: true, to: &buffer) }
    #expect(buffer.withBytes { Array($0) } == Array("xfiy".utf8))
    #expect(buffer.originalRange(of: 1..<2) == 1..<4)  // "f" alone
    #expect(buffer.originalRange(of: 2..<4) == 1..<5)  // "iy"
    #expect(buffer.originalRange(of: 0..<1) == 0..<1)

    let voiced = Array("ﾊﾞｶ".utf8)  // ﾊﾞ is 6 bytes and becomes バ (3 bytes)
    var katakana = NormalizedBuffer()
    _ = voiced.withUnsafeBufferPointer { TextNormalizer(.width).append($0, isFinal: true, to: &katakana) }
    #expect(katakana.originalRange(of: 1..<2) == 0..<6)
    #expect(katakana.originalRange(of: 3..<6) == 6..<9)

    // Hiragana with a combining voiced mark is one cluster: katakana alone takes both.
    let decomposed = Array("か\u{3099}x".utf8)
    var folded = NormalizedBuffer()
    _ = decomposed.withUnsafeBufferPointer { TextNormalizer(.kana).append($0, isFinal: true, to: &folded) }
    #expect(folded.withBytes { Array($0) } == Array("カ\u{3099}x".utf8))
    #expect(folded.originalRange(of: 0..<3) == 0..<6)
    #expect(folded.originalRange(of: 6..<7) == 6..<7)
}

@Test func theLastClusterWaitsForTheNextCharacter() {
    let normalizer = TextNormalizer(.width)
    var buffer = NormalizedBuffer()
    let first = Array("ｶｶ".utf8)
    let consumed = first.withUnsafeBufferPointer { normalizer.append($0, isFinal: false, to: &buffer) }
    #expect(consumed == 3)
    let rest = Array("ｶﾞ".utf8)
    _ = rest.withUnsafeBufferPointer { normalizer.append($0, isFinal: true, to: &buffer) }
    #expect(buffer.withBytes { Array($0) } == Array("カガ".utf8))

    let cases: [(bytes: [UInt8], held: Int)] = [
        (Array("abc\r".utf8), 1), (Array("ab\r\n".utf8), 2), (Array("ae\u{301}".utf8), 3),
        ([0x61, 0xE3, 0x81], 3),  // "a" and a cut sequence
    ]
    for (bytes, held) in cases {
        var scratch = NormalizedBuffer()
        let taken = bytes.withUnsafeBufferPointer { TextNormalizer([]).append($0, isFinal: false, to: &scratch) }
        #expect(bytes.count - taken == held, "\(bytes)")
    }
}

@Test func invalidUTF8BecomesReplacementCharacters() {
    let bytes: [UInt8] = [0x61, 0xFF, 0xE3, 0x81, 0x62, 0xC0, 0xAF, 0xE3, 0x81]
    let result = normalize(bytes, [.nfkc, .casefold])
    // One U+FFFD per longest start of a sequence that cannot be completed.
    #expect(String(decoding: result.text, as: UTF8.self) == "a\u{FFFD}\u{FFFD}b\u{FFFD}\u{FFFD}\u{FFFD}")
    #expect(result.originalEnd == bytes.count)
}

@Test func plainScalarsAreAlwaysClusterBoundaries() {
    // TextNormalizer cuts text between two plain scalars without asking String: check
    // that String agrees for every plain scalar of the BMP beside a few neighbours.
    let neighbours: [Unicode.Scalar] = ["a", "\n", "あ", "漢", "ｶ", "Ａ", "한", "ก", "क", "😀", "©"]
    var disagreements: [String] = []
    for value in 0..<0x10000 where ScalarTraits.basicPlane[value].contains(.plain) {
        let scalar = Unicode.Scalar(UInt32(value))!
        for neighbour in neighbours + [scalar] where ScalarTraits.of(neighbour.value).contains(.plain) {
            for pair in [[scalar, neighbour], [neighbour, scalar]] {
                if String(String.UnicodeScalarView(pair)).count != 2 {
                    disagreements.append(pair.map { String($0.value, radix: 16) }.joined(separator: " "))
                }
            }
        }
    }
    #expect(disagreements.isEmpty, "\(disagreements.prefix(20))")
}

// MARK: - Chunking invariance

/// Pieces of English and Japanese text, with the characters that make clusters span
/// several scalars or change under normalization.
private let pieces: [String] = [
    "a", "Z", "hello ", "ACME", "e", "\u{301}", "\u{308}", "\r", "\n", "\r\n", "\t", "\u{200B}", "\u{200D}",
    "\u{AD}", "\u{FEFF}", "ﬁ", "①", "Ａ", "ｚ", "ß", "İ", "Σ", "👍", "🏽", "😀", "𠮷", "🇯", "🇵", "é",
    "あ", "ば", "か", "ゝ", "カ", "漢", "字", "、", "。", "ｶ", "ﾊ", "ﾞ", "ﾟ", "ｰ", "\u{3099}",
    "０", "９", "－", "\u{3000}", "한", "\u{1161}", "\u{11A8}", "ก", "\u{E33}", "क", "\u{94D}", "\u{600}",
]

private let texts = Gen.element(of: pieces).map { $0! }.array(of: 0...24).map { $0.joined() }
private let normalizations = Gen.int(in: 0...15).map { Normalization(rawValue: UInt8($0)) }
private let cuts = Gen.int(in: 0...80).array(of: 0...8)

@Test func anySplitNormalizesLikeTheWholeText() async {
    await propertyCheck(count: 400, input: texts, normalizations, cuts) { text, normalization, cuts in
        let bytes = Array(text.utf8)
        #expect(normalize(bytes, normalization, cuts: cuts) == normalize(bytes, normalization))
    }
}

@Test func oneByteAtATimeNormalizesLikeTheWholeText() async {
    await propertyCheck(count: 150, input: texts, normalizations) { text, normalization in
        let bytes = Array(text.utf8)
        #expect(normalize(bytes, normalization, cuts: Array(0...bytes.count)) == normalize(bytes, normalization))
    }
}

@Test func splitsOfInvalidUTF8NormalizeLikeTheWhole() async {
    let bytes = Gen.element(of: [0x61, 0x0D, 0x0A, 0xE3, 0x81, 0x82, 0xFF, 0xC2, 0x80, 0xF0, 0x9F, 0x91, 0x8D, 0xCC])
        .map { UInt8($0!) }.array(of: 0...24)
    await propertyCheck(count: 300, input: bytes, normalizations, cuts) { bytes, normalization, cuts in
        #expect(normalize(bytes, normalization, cuts: cuts) == normalize(bytes, normalization))
        // Invalid bytes become U+FFFD as String sees them.
        let text = String(decoding: normalize(bytes, [], cuts: cuts).text, as: UTF8.self)
        #expect(text == String(decoding: bytes, as: UTF8.self))
    }
}

@Test func wholeTextsNormalizeClusterByCluster() async {
    // The fast paths must agree with normalizing each cluster through String.
    await propertyCheck(count: 300, input: texts, normalizations) { text, normalization in
        let transform = ClusterTransform(normalization: normalization)
        let expected = text.map { transform.apply(to: Substring(String($0))) }.joined()
        #expect(String(decoding: normalize(Array(text.utf8), normalization).text, as: UTF8.self) == expected)
    }
}
