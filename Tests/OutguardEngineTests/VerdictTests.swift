import OutguardEngine
import Testing

private func finding(_ action: RuleAction, _ mode: RuleMode) -> Finding {
    Finding(
        ruleID: "t.rule", pack: "t", action: action, mode: mode, severity: .low,
        byteSpan: 0..<1, characterSpan: 0..<1, matchedText: "x")
}

@Test func outcomeIsTheStrongestEnforcedAction() {
    #expect(Verdict(text: "a", findings: []).outcome == .pass)
    #expect(Verdict(text: "a", findings: [finding(.redact, .shadow)]).outcome == .shadow)
    #expect(Verdict(text: "a", findings: [finding(.log, .enforce)]).outcome == .shadow)
    #expect(Verdict(text: "a", findings: [finding(.redact, .enforce)]).outcome == .redact)
    let block = finding(.block, .enforce)
    #expect(Verdict(text: "a", blockedBy: block, message: "no", findings: [block]).outcome == .block)
}

@Test func severitiesAreOrdered() {
    #expect(Severity.info < .low && Severity.high < .critical)
}

@Test func theUserSeesTheMessageOfABlockedText() {
    let block = Finding(
        ruleID: "t.block", pack: "t", action: .block, mode: .enforce, severity: .high, byteSpan: 0..<1,
        characterSpan: 0..<1, matchedText: "x")
    #expect(Verdict(text: "kept", findings: []).shownText == "kept")
    #expect(Verdict(text: "kept", blockedBy: block, message: "No.", findings: [block]).shownText == "No.")
}
