import PropertyBased
import Testing

@testable import OutguardEngine

@Suite struct LexiconTests {
    let japanese = lexiconRule(
        "profanity-ja.insult", ["バカ", "クソ"], exceptions: ["バカンス", "バカラ", "おやくそく"],
        replacement: "＊＊", normalize: [.nfkc, .casefold, .width, .kana])

    @Test func japaneseTermsMatchAnywhereButInsideExceptions() throws {
        let rules = try policy(japanese)
        #expect(rules.evaluate("あいつはバカだ").text == "あいつは＊＊だ")
        #expect(rules.evaluate("夏のバカンスとバカラ").findings.isEmpty)
        #expect(rules.evaluate("おやくそくします").findings.isEmpty)
        #expect(rules.evaluate("クソ").text == "＊＊")
    }

    @Test func normalizationFindsVariantsAndRedactsTheOriginal() throws {
        let rules = try policy(japanese)
        // Hiragana, half-width katakana with a voiced mark, and a zero-width space.
        #expect(rules.evaluate("ばかだ").text == "＊＊だ")
        #expect(rules.evaluate("ﾊﾞｶだ").text == "＊＊だ")
        #expect(rules.evaluate("バ\u{200B}カだ").text == "＊＊だ")
        #expect(rules.evaluate("ﾊﾞｶﾝｽ").findings.isEmpty)
    }

    @Test func asciiTermsMatchOnWordBoundaries() throws {
        let rules = try policy(lexiconRule("profanity-en.word", ["ass", "Acme Corp"], normalize: [.casefold]))
        #expect(rules.evaluate("what an ass.").text == "what an [X].")
        #expect(rules.evaluate("class assistant bass").findings.isEmpty)
        #expect(rules.evaluate("ACME CORP rocks").text == "[X] rocks")
        #expect(rules.evaluate("AcmeCorporation").findings.isEmpty)
    }

    @Test func longestTermWinsAtTheSameStart() throws {
        let rules = try policy(lexiconRule("t.words", ["foo", "foo bar"], replacement: "#"))
        let verdict = rules.evaluate("a foo bar b")
        #expect(verdict.text == "a # b")
        #expect(verdict.findings.map(\.matchedText) == ["foo bar"])
    }

    /// Long clean stretches are ruled out by the term sieve and only their last bytes read
    /// by the automaton: a term or exception begun there must still be completed by the
    /// next piece.
    @Test func termsAndExceptionsAcrossSievedStretches() throws {
        let rules = try policy(
            lexiconRule("t.words", ["damn", "Acme Corp"], exceptions: ["Acme Corporation"], normalize: [.casefold]))
        let clean = String(repeating: "A long and quiet sentence with nothing in it. ", count: 4)
        #expect(clean.utf8.count > LexiconRuleSet.sieveMinimum)
        #expect(rules.evaluate(clean + "damn").text == clean + "[X]")
        #expect(stream(rules, [clean + "da", "mn " + clean]).text == clean + "[X] " + clean)
        #expect(stream(rules, [clean + "Acme Cor", "p " + clean]).text == clean + "[X] " + clean)
        #expect(stream(rules, [clean + "Acme Cor", "poration " + clean]).findings.isEmpty)
        #expect(stream(rules, [clean, clean + "damn ", clean]).text == clean + clean + "[X] " + clean)
    }

    /// The sieve only saves the automaton reading; it never changes a hit. Texts with
    /// terms and exceptions between long clean stretches, cut anywhere (inside
    /// characters too), give the same hits with the sieve as without it.
    @Test func theSieveFindsWhatTheAutomatonAloneFinds() async {
        let terms = ["damn", "acme corp", "バカ", "x"]
        let exceptions = ["acme corporation", "バカンス"]
        let patterns = (terms + exceptions).map { Array($0.utf8) }
        let entries = patterns.indices.map { index in
            LexiconRuleSet.Entry(
                rule: index % 2, isException: index >= terms.count,
                boundedStart: LexiconRuleSet.isWordByte(patterns[index].first!),
                boundedEnd: LexiconRuleSet.isWordByte(patterns[index].last!))
        }
        let sieved = LexiconRuleSet(policyIndices: [0, 1], patterns: patterns, entries: entries)
        let plain = LexiconRuleSet(policyIndices: [0, 1], patterns: patterns, entries: entries, sieving: false)
        let clean = "A long and quiet sentence with nothing in it, written in full. "
        let pieces = Gen.element(of: terms + exceptions + [clean, clean + clean, " ", "damnation ", "バカだ。"])
        await propertyCheck(count: 300, input: pieces.array(of: 1...12), Gen.int(in: 1...150).array(of: 1...20)) {
            parts, sizes in
            let text = Array(parts.compactMap { $0 }.joined().utf8)
            #expect(Self.hits(of: sieved, in: text, sizes: sizes) == Self.hits(of: plain, in: text, sizes: sizes))
        }
    }

    /// `set`'s hits in `text` fed in pieces of `sizes` bytes (over again), as a profile
    /// feeds it: the bytes a step left unnormalized come again with the next piece.
    private static func hits(of set: LexiconRuleSet, in text: [UInt8], sizes: [Int]) -> [String] {
        let normalizer = TextNormalizer([])
        var buffer = NormalizedBuffer()
        var scan = set.makeState()
        var hits: [String] = []
        var end = 0
        for size in repeatElement(sizes, count: text.count).joined() where end < text.count {
            end = min(text.count, end + size)
            let final = end == text.count
            text.withUnsafeBufferPointer { bytes in
                _ = normalizer.append(
                    UnsafeBufferPointer(rebasing: bytes[buffer.originalEnd..<end]), isFinal: final, to: &buffer)
            }
            _ = set.advance(&scan, in: buffer, final: final) { hits.append("\($0.rule) \($0.range)") }
        }
        return hits
    }

    @Test func emptyTermsAreRefused() {
        #expect(throws: PolicyError.self) { try policy(lexiconRule("t.empty", ["\u{200B}"])) }
    }
}

@Test func nfkcComposesHalfWidthVoicedKatakana() throws {
    // Foundation's NFKC on Linux leaves `ﾊﾞ` as `ハ` + a combining mark; the rule must still fire.
    let rules = try policy(lexiconRule("t.nfkc", ["バカ"], normalize: [.nfkc]))
    #expect(rules.evaluate("ﾊﾞｶだ").text == "[X]だ")
}

@Test func asciiLexiconsShareTheKanaCopyOfTheText() throws {
    let english = lexiconRule("t.english", ["damn"], normalize: [.casefold])
    let japanese = lexiconRule("t.japanese", ["バカ"], normalize: [.casefold, .kana])
    let email = regexRule("t.email", "[a-z]+@[a-z.]+", normalize: [.nfkc, .width])
    let rules = try policy(english, japanese, email)
    // nfkc (width adds nothing to it) and casefold+kana: two copies, not three.
    #expect(rules.compiled.profiles.count == 2)
    #expect(rules.evaluate("DAMN, ばかだ。a@b.io ａｂ@c.io").text == "[X], [X]だ。[X] [X]")
}
