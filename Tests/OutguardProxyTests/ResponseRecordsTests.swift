import Foundation
import OutguardEngine
import Testing

@testable import OutguardLog
@testable import OutguardProxy

/// The proxy encodes a response's records straight from its findings; a line must read
/// exactly as the `LogRecord` it stands for encodes, which is what the log's readers parse.
@Suite struct ResponseRecordsTests {
    let ts = Date(timeIntervalSince1970: 1_796_000_000.123)
    /// The policy has the e-mail rule (its members are encoded once) and a rule of the
    /// same id as the shadowed finding below with another mode; the classifier rule is not
    /// in it (its members are encoded per line).
    let response = ResponseFacts(
        requestID: "og-0123456789abcdef",
        policy: LoggedPolicy(
            name: "default", ruleset: "sha256:ab\"cd",
            rules: [
                RuleDefinition(id: "pii.email", pack: "pii", matcher: .regex(pattern: "@", flags: [])),
                RuleDefinition(id: "pii.phone", pack: "pii", matcher: .regex(pattern: "0", flags: [])),
            ]),
        provider: .anthropicMessages, model: "claude \"x\"", stream: true, upstreamStatus: 200, latencyMs: 1.25)

    let email = Finding(
        ruleID: "pii.email", pack: "pii", action: .redact, mode: .enforce, severity: .medium,
        byteSpan: 3..<20, characterSpan: 2..<19, matchedText: "taro@example.jp")
    let failure = Finding(
        kind: .engineError, ruleID: "hooks.toxicity", pack: "hooks", action: .block, mode: .shadow,
        severity: .high, byteSpan: 0..<0, characterSpan: 0..<0, matchedText: "",
        detail: "the classifier timed out", scores: ["insult": 0.5, "hate": 0.25])
    let shadowedPhone = Finding(
        ruleID: "pii.phone", pack: "pii", action: .redact, mode: .shadow, severity: .medium,
        byteSpan: 30..<42, characterSpan: 29..<41, matchedText: "03-1234-5678")

    /// A finding with the privacy forms of its match and context.
    typealias Logged = (finding: Finding, match: String?, context: String?)

    /// The records as the log's own value type encodes them.
    func expectedLines(_ logged: [Logged], rules: [String]) -> [UInt8] {
        var lines = LogLines<LogRecord>()
        for (finding, match, context) in logged {
            var record = LogRecord(ts: ts, event: finding.kind == .match ? .violation : .engineError)
            record.requestID = response.requestID
            record.policy = response.policy.name
            record.ruleset = response.policy.ruleset
            record.pack = finding.pack
            record.rule = finding.ruleID
            record.action = finding.action.rawValue
            record.mode = finding.mode.rawValue
            record.severity = finding.severity.rawValue
            record.provider = response.provider.rawValue
            record.model = response.model
            record.stream = response.stream
            record.choice = 1
            record.span = [finding.characterSpan.lowerBound, finding.characterSpan.upperBound]
            record.match = match
            record.context = context
            record.detail = finding.detail
            record.scores = finding.scores
            lines.append(record)
        }
        var summary = LogRecord(ts: ts, event: .request)
        summary.requestID = response.requestID
        summary.policy = response.policy.name
        summary.ruleset = response.policy.ruleset
        summary.action = "redact"
        summary.provider = response.provider.rawValue
        summary.model = response.model
        summary.stream = response.stream
        summary.rules = rules
        summary.findings = logged.count
        summary.upstreamStatus = response.upstreamStatus
        summary.latencyMs = response.latencyMs
        lines.append(summary)
        return lines.bytes
    }

    @Test func linesReadExactlyAsTheRecordsTheyStandFor() {
        let logged: [Logged] = [
            (email, "t***@e******.jp", "…to t***@e******.jp\n"), (failure, nil, nil),
            (shadowedPhone, "0*-1***-5***", "…call 0*-1***-5***"), (email, "t***@e******.jp", "…to t***@e******.jp\n"),
        ]
        var records = ResponseRecords(response, at: ts)
        for (finding, match, context) in logged {
            records.add(
                finding, choice: 1, match: match.map { Array($0.utf8) }, context: context.map { Array($0.utf8) })
        }
        records.addSummary(outcome: .redact)

        #expect(records.lines.count == 5)
        // A rule that fired twice is listed once, where it first fired.
        let expected = expectedLines(logged, rules: ["pii.email", "hooks.toxicity", "pii.phone"])
        #expect(String(decoding: records.lines.bytes, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
    }
}
