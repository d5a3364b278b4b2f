import Testing

@testable import OutguardLog

/// The text around a finding, with every finding in it in its privacy form.
@Suite struct MatchContextTests {
    /// UTF-8 spans of the first occurrence of each of `needles` in `text`, as the engine reports findings.
    private func spans(of needles: [String], in text: String) -> [Range<Int>] {
        let bytes = Array(text.utf8)
        return needles.map { needle in
            let target = Array(needle.utf8)
            let start = (0...(bytes.count - target.count)).first { Array(bytes[$0..<$0 + target.count]) == target }!
            return start..<start + target.count
        }
    }

    @Test func aNeighbouringSecretNeverLeaksThroughTheContext() {
        let text = "連絡先は taro@example.jp, hanako@example.jp です"
        let findings = spans(of: ["taro@example.jp", "hanako@example.jp"], in: text)
        let context = MatchContext(text: text, spans: findings, form: MatchForm(.masked))
        #expect(context.matchText(of: 0) == "t***@e******.jp")
        #expect(context.contextText(of: 0) == "連絡先は t***@e******.jp, h*****@e******.jp です")
        #expect(context.contextText(of: 1) == "連絡先は t***@e******.jp, h*****@e******.jp です")
        let hashed = MatchContext(text: text, spans: findings, form: MatchForm(.hmac, hmacKey: [1, 2, 3]))
        let second = hashed.contextText(of: 0) ?? ""
        #expect(!second.contains("hanako") && !second.contains("taro"))
        #expect(second.contains(hashed.matchText(of: 1) ?? "missing"))
    }

    /// A secret's rule matches its first characters; the rest of the key is hidden with
    /// them, in every form that keeps text, while text outside the token stays readable.
    @Test func theRestOfATokenAFindingCutsIntoIsHiddenToo() {
        let key = "MIIEvQIBADANBgkqhkiG9w0B+AQEFAASC/xyz="
        let text = "Here:\n-----BEGIN PRIVATE KEY-----\n\(key)\nend"
        let findings = spans(of: ["-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq"], in: text)
        let masked = MatchContext(text: text, spans: findings, form: MatchForm(.masked))
        #expect(masked.matchText(of: 0) == "-----B**** P****** K**-----\nM***************")
        #expect(
            masked.contextText(of: 0)
                == "Here:\n-----B**** P****** K**-----\nM" + String(repeating: "*", count: 23) + "+A*******/x**=\nend")
        let hashed = MatchContext(text: text, spans: findings, form: MatchForm(.hmac, hmacKey: [1, 2, 3]))
        let context = hashed.contextText(of: 0) ?? ""
        #expect(!context.contains("hkiG9w0B") && !context.contains("xyz") && context.hasSuffix("\nend"))
        // An address in Japanese text cuts into no token: its neighbours stay.
        let japanese = "連絡先はtaro@example.jpです"
        let address = MatchContext(
            text: japanese, spans: spans(of: ["taro@example.jp"], in: japanese), form: MatchForm(.masked))
        #expect(address.contextText(of: 0) == "連絡先はt***@e******.jpです")
    }

    /// Two keys written together are one token: replaced as one, each match on its own.
    @Test func adjacentFindingsAreReplacedTogether() {
        let text = "key sk-abc123ghp_def456 end"
        let findings = spans(of: ["sk-abc123", "ghp_def456"], in: text)
        let context = MatchContext(text: text, spans: findings, form: MatchForm(.masked))
        #expect(context.contextText(of: 0) == "key s*-a********_d***** end")
        #expect(context.matchText(of: 0) == "s*-a*****")
        #expect(context.matchText(of: 1) == "g**_d*****")
        #expect(context.contextText(of: 1) == context.contextText(of: 0))
    }

    @Test func overlappingFindingsAreReplacedAsOne() {
        let text = "card 4111 1111 1111 1111 ok"
        let findings = [5..<24, 10..<24]
        let context = MatchContext(text: text, spans: findings, form: MatchForm(.masked))
        #expect(context.contextText(of: 1) == "card 4*** 1*** 1*** 1*** ok")
        #expect(context.matchText(of: 1) == "1*** 1*** 1***")
    }

    @Test func theWindowIsCutWithAnEllipsis() {
        let before = String(repeating: "a", count: 40)
        let after = String(repeating: "b", count: 40)
        let text = before + " X " + after
        let context = MatchContext(text: text, spans: [41..<42], form: MatchForm(.full), radius: 4)
        #expect(context.contextText(of: 0) == "…aaa X bbb…")
        let whole = MatchContext(text: "a X b", spans: [2..<3], form: MatchForm(.masked), radius: 4)
        #expect(whole.contextText(of: 0) == "a X b")
    }

    @Test func aFindingTheWindowCutsIsShownWholeInItsForm() {
        // The second address starts inside the first one's window and ends beyond it.
        let text = "taro@example.jp and hanako@example.jp"
        let findings = spans(of: ["taro@example.jp", "hanako@example.jp"], in: text)
        let context = MatchContext(text: text, spans: findings, form: MatchForm(.masked), radius: 8)
        #expect(context.contextText(of: 0) == "t***@e******.jp and h*****@e******.jp")
    }

    @Test func noneHasNeitherMatchNorContext() {
        let context = MatchContext(text: "mail a@b.io", spans: [5..<11], form: MatchForm(.none))
        #expect(context.matchText(of: 0) == nil)
        #expect(context.contextText(of: 0) == nil)
    }

    @Test func spansCountBytesAndBadSpansAreClampedToWholeCharacters() {
        // 👩‍💻 is eleven bytes (three scalars): "secret" starts at byte 12.
        let text = "👩‍💻 secret"
        let context = MatchContext(text: text, spans: [12..<18, 16..<99, 1..<2], form: MatchForm(.full))
        #expect(context.matchText(of: 0) == "secret")
        #expect(context.matchText(of: 1) == "et")
        #expect(context.contextText(of: 1) == "👩‍💻 secret")
        // A span inside a character is widened to the character, never cut through it.
        #expect(context.matchText(of: 2) == "👩")
    }

    @Test func theWindowCountsCharactersNotBytes() {
        let text = "日本語のテキスト mail a@b.io 終わりの文章です"
        let context = MatchContext(
            text: text, spans: spans(of: ["a@b.io"], in: text), form: MatchForm(.full), radius: 3)
        #expect(context.contextText(of: 0) == "…il a@b.io 終わ…")
    }
}

extension MatchContext {
    /// The match as text, to compare with the expected one.
    fileprivate func matchText(of index: Int) -> String? {
        match(of: index).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The context as text.
    fileprivate func contextText(of index: Int) -> String? {
        context(of: index).map { String(decoding: $0, as: UTF8.self) }
    }
}
