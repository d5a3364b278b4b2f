import Testing

@testable import OutguardEngine

@Suite struct PolicyTests {
    let email = regexRule("pii.email", #"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"#, replacement: "[EMAIL]")

    @Test func redactsWithTheReplacement() throws {
        let verdict = try policy(email).evaluate("mail a@b.io now")
        #expect(verdict.text == "mail [EMAIL] now")
        #expect(verdict.outcome == .redact)
        #expect(verdict.findings.map(\.ruleID) == ["pii.email"])
        #expect(verdict.findings[0].matchedText == "a@b.io")
        #expect(verdict.findings[0].byteSpan == 5..<11)
    }

    @Test func spansCountBytesAndCharactersOfTheOriginal() throws {
        let verdict = try policy(email).evaluate("連絡先は taro@example.jp です")
        let finding = try #require(verdict.findings.first)
        #expect(finding.characterSpan == 5..<20)
        #expect(finding.byteSpan == 13..<28)
        #expect(verdict.text == "連絡先は [EMAIL] です")
    }

    @Test func cleanTextPassesUnchanged() throws {
        let text = "Nothing to see here. 何もありません。"
        let verdict = try policy(email).evaluate(text)
        #expect(verdict.text == text && verdict.outcome == .pass && verdict.findings.isEmpty)
    }

    @Test func blockStopsTheTextAndCarriesTheMessage() throws {
        let block = regexRule("brand.acme", "Acme", action: .block, message: "I can't discuss other vendors.")
        let verdict = try policy(email, block).evaluate("a@b.io then Acme and c@d.io")
        #expect(verdict.isBlocked)
        #expect(verdict.blockedBy?.ruleID == "brand.acme")
        #expect(verdict.message == "I can't discuss other vendors.")
        #expect(verdict.text == "[EMAIL] then ")
        #expect(verdict.findings.map(\.ruleID) == ["pii.email", "brand.acme", "pii.email"])
    }

    @Test func shadowRulesRecordAndChangeNothing() throws {
        let shadow = regexRule("pii.email", "[a-z]+@[a-z.]+", mode: .shadow)
        let verdict = try policy(shadow).evaluate("to a@b.io")
        #expect(verdict.text == "to a@b.io")
        #expect(verdict.outcome == .shadow)
        #expect(verdict.findings.first?.mode == .shadow)
        let shadowBlock = regexRule("brand.acme", "Acme", action: .block, mode: .shadow)
        #expect(try policy(shadowBlock).evaluate("Acme").isBlocked == false)
    }

    @Test func logRulesRecordOnly() throws {
        let log = regexRule("audit.word", "secret", action: .log)
        let verdict = try policy(log).evaluate("a secret plan")
        #expect(verdict.text == "a secret plan" && verdict.findings.count == 1 && verdict.outcome == .shadow)
    }

    @Test func overlappingRedactionsMergeIntoOne() throws {
        let first = regexRule("a.first", "abc", replacement: "[A]")
        let second = regexRule("b.second", "cde", replacement: "[B]")
        #expect(try policy(first, second).evaluate("xabcdey").text == "x[A]y")
        // The same start: the longer finding decides the replacement.
        let longer = regexRule("c.longer", "abcd", replacement: "[C]")
        #expect(try policy(first, longer).evaluate("xabcdy").text == "x[C]y")
    }

    @Test func blockWinsOverRedaction() throws {
        let redact = regexRule("a.redact", "secret plan")
        let block = regexRule("b.block", "plan", action: .block)
        let verdict = try policy(redact, block).evaluate("the secret plan")
        #expect(verdict.isBlocked)
    }

    @Test func normalizedRegexCatchesFullWidthDigits() throws {
        let phone = regexRule("pii.phone", #"0\d{1,4}-\d{1,4}-\d{4}"#, replacement: "[PHONE]", normalize: .nfkc)
        let verdict = try policy(phone).evaluate("電話は０９０－１２３４－５６７８です")
        #expect(verdict.text == "電話は[PHONE]です")
        #expect(verdict.findings.first?.matchedText == "０９０－１２３４－５６７８")
    }

    @Test func validatorsDecideAfterTheMatch() throws {
        let card = regexRule("pii.card", #"(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)"#, replacement: "[CARD]", validate: .luhn)
        let rules = try policy(card)
        #expect(rules.evaluate("card 4111 1111 1111 1111 ok").text == "card [CARD] ok")
        #expect(rules.evaluate("order 4111 1111 1111 1112 ok").text == "order 4111 1111 1111 1112 ok")
    }

    @Test func compileErrorsNameTheRuleAndTheSpot() {
        #expect {
            try policy(regexRule("a.ok", "fine"), regexRule("b.bad", "ab(c"))
        } throws: { error in
            let problem = (error as? PolicyError)?.problems.first
            return problem?.ruleIndex == 1 && problem?.field == .pattern && problem?.patternOffset == 4
        }
    }

    @Test func patternsThatMatchEmptyTextAreRefused() {
        #expect(throws: PolicyError.self) { try policy(regexRule("a.empty", "x*")) }
    }

    @Test func catastrophicPatternEndsInAnEngineError() throws {
        var limits = EngineLimits()
        limits.regexMatchLimit = 10_000
        let evil = regexRule("a.redos", "(a+)+b")
        // The `aab` at the end lets the prefilter through; PCRE2 then backtracks
        // exponentially on the run of `a`s before it.
        let verdict = try policy(evil, limits: limits).evaluate(String(repeating: "a", count: 40) + "c aab!")
        let finding = try #require(verdict.findings.first)
        #expect(finding.kind == .engineError)
        #expect(finding.detail?.contains("limit") == true)
        // An engine error changes no text: the caller's fail_mode decides.
        #expect(verdict.text.hasSuffix("!"))
    }
}
