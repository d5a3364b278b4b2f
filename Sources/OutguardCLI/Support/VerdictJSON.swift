import OutguardEngine

/// The JSON form of a verdict that `scan --json` prints.
struct VerdictJSON: Encodable {
    struct FindingJSON: Encodable {
        var kind: Finding.Kind
        var rule: String
        var pack: String
        var action: RuleAction
        var mode: RuleMode
        var severity: Severity
        /// UTF-8 byte offsets in the original text.
        var span: [Int]
        /// Unicode scalar offsets in the original text.
        var characters: [Int]
        var match: String
        var detail: String?
    }

    var outcome: Verdict.Outcome
    var text: String
    var blocked: Bool
    var message: String?
    var ruleset: String
    var findings: [FindingJSON]

    static func encode(_ verdict: Verdict, ruleset: String) throws -> String {
        let value = VerdictJSON(
            outcome: verdict.outcome, text: verdict.text, blocked: verdict.isBlocked, message: verdict.message,
            ruleset: ruleset,
            findings: verdict.findings.map { finding in
                FindingJSON(
                    kind: finding.kind, rule: finding.ruleID, pack: finding.pack, action: finding.action,
                    mode: finding.mode, severity: finding.severity,
                    span: [finding.byteSpan.lowerBound, finding.byteSpan.upperBound],
                    characters: [finding.characterSpan.lowerBound, finding.characterSpan.upperBound],
                    match: finding.matchedText, detail: finding.detail)
            })
        return try PrettyJSON.string(value)
    }
}
