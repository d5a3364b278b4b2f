import PropertyBased
import Testing

@testable import OutguardEngine

@Suite struct StreamFilterTests {
    static let rules: [RuleDefinition] = [
        regexRule("pii.email", #"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"#, replacement: "[EMAIL]"),
        regexRule("pii.phone", #"(?<![0-9])0\d{1,4}-\d{1,4}-\d{4}(?![0-9])"#, replacement: "[PHONE]", normalize: .nfkc),
        regexRule("pii.card", #"(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)"#, replacement: "[CARD]", validate: .luhn),
        regexRule("secrets.key", #"sk-[A-Za-z0-9]{20,64}"#, action: .block),
        regexRule("t.shadow", "plan", mode: .shadow),
        lexiconRule(
            "profanity-ja.insult", ["バカ", "クソ"], exceptions: ["バカンス", "おやくそく"], replacement: "＊＊",
            normalize: [.nfkc, .casefold, .width, .kana]),
        lexiconRule("profanity-en.word", ["damn", "ass"], replacement: "****", normalize: [.casefold]),
    ]

    static let texts = [
        "mail taro.yamada@example.co.jp now, or call 090-1234-5678.",
        "電話は０９０－１２３４－５６７８、メールはhanako@example.jpまで。",
        "card 4111 1111 1111 1111 and not 4111 1111 1111 1112.",
        "バカンスの話はバカにできない。ﾊﾞｶﾝｽ、ﾊﾞｶ、おやくそく、クソ。",
        "Damn, the class assistant passed the ass test.",
        "the key is sk-AbCdEfGhIjKlMnOpQrStUvWx and more after it",
        "plain text with no findings at all, 何もない普通の文章です。",
        "overlap a@b.io@c.io 090-1111-2222-3333 e\u{301}x ｶﾞｷﾞ\r\nend",
    ]

    @Test(arguments: texts)
    func everySplitGivesTheWholeTextVerdict(_ text: String) throws {
        let policy = try Policy(rules: Self.rules, ruleset: "t")
        let whole = policy.evaluate(text)
        let characters = Array(text.unicodeScalars)
        // Every single split point, and every piece of one scalar.
        for cut in 0...characters.count {
            let pieces = [String(String.UnicodeScalarView(characters[..<cut])), String(String.UnicodeScalarView(characters[cut...]))]
            check(policy, pieces, against: whole)
        }
        check(policy, characters.map { String($0) }, against: whole)
    }

    @Test func randomSplitsGiveTheWholeTextVerdict() async throws {
        let policy = try Policy(rules: Self.rules, ruleset: "t")
        let pieces = Gen.element(of: Self.texts + ["x"])
        await propertyCheck(count: 300, input: pieces.array(of: 1...6), Gen.int(in: 1...12).array(of: 1...40)) { parts, sizes in
            let text = parts.compactMap { $0 }.joined(separator: " ")
            check(policy, split(text, sizes: sizes), against: policy.evaluate(text))
        }
    }

    @Test func blockIsReportedBeforeAnyOfItsCharactersAreReleased() throws {
        let policy = try Policy(rules: Self.rules, ruleset: "t")
        var filter = policy.makeStreamFilter()
        var released = ""
        for piece in ["the key is s", "k-AbCdEfGh", "IjKlMnOpQrSt", "UvWx and more"] {
            let output = filter.feed(piece)
            released += output.text
            if output.blockedBy != nil { break }
        }
        #expect(filter.blockedBy?.ruleID == "secrets.key")
        #expect(released == "the key is ")
        #expect(filter.feed("more").text.isEmpty)
    }

    @Test func onlyWhatCouldStillMatchIsHeldBack() throws {
        let policy = try Policy(rules: Self.rules, ruleset: "t")
        var filter = policy.makeStreamFilter()
        #expect(filter.feed("Hello there, how are you? ").text == "Hello there, how are you?")
        // "taro" could become an e-mail address; everything before it is out.
        #expect(filter.feed("Write to taro").text == " Write to ")
        #expect(filter.feed("@example.jp today").text == "[EMAIL] ")
    }

    @Test func maxHoldbackReleasesAndCounts() throws {
        var limits = EngineLimits()
        limits.maxHoldback = 16
        let policy = try Policy(rules: Self.rules, ruleset: "t", limits: limits)
        var filter = policy.makeStreamFilter()
        let output = filter.feed(String(repeating: "a", count: 40))
        #expect(output.text == String(repeating: "a", count: 24))
        #expect(filter.holdbackOverflows == 1)
    }

    @Test func characterSpansCountTheScalarsOfTheOriginal() throws {
        // Long enough for the stream to forget its start several times, with findings of
        // several profiles that arrive out of text order.
        let rules = Self.rules.filter { $0.action != .block }
        let policy = try Policy(rules: rules, ruleset: "t")
        let text = Array(repeating: Self.texts.joined(separator: " "), count: 8).joined(separator: "\n")
        let streamed = stream(policy, split(text, sizes: [7, 3, 11]))
        let whole = policy.evaluate(text)
        #expect(whole.findings.count > 40)
        let bytes = Array(text.utf8)
        for finding in whole.findings + streamed.findings {
            let first = String(decoding: bytes[..<finding.byteSpan.lowerBound], as: UTF8.self).unicodeScalars.count
            #expect(finding.characterSpan == first..<(first + finding.matchedText.unicodeScalars.count))
        }
    }

    private func check(_ policy: Policy, _ pieces: [String], against whole: Verdict) {
        let streamed = stream(policy, pieces)
        #expect(streamed.blockedBy == whole.blockedBy, "pieces: \(pieces)")
        #expect(streamed.text == whole.text, "pieces: \(pieces)")
        if whole.blockedBy == nil {
            #expect(streamed.findings == whole.findings, "pieces: \(pieces)")
        }
    }

    private func split(_ text: String, sizes: [Int]) -> [String] {
        var pieces: [String] = []
        var rest = Substring(text)
        var index = 0
        while !rest.isEmpty {
            let size = sizes[index % sizes.count]
            pieces.append(String(rest.unicodeScalars.prefix(size)))
            rest = Substring(rest.unicodeScalars.dropFirst(size))
            index += 1
        }
        return pieces
    }
}
