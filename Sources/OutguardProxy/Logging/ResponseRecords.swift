import Foundation
import OutguardEngine
import OutguardLog

/// The log lines of one response with findings: a `violation` (or `engine_error`) per
/// finding and the `request` summary, encoded straight from the findings.
///
/// Every response with findings is logged on the event loop that served it, so this skips
/// what the lines do not need: a `LogRecord` per finding (two dozen fields set, copied and
/// destroyed, and an array for its span), and encoding the members the records share more
/// than once: each line starts with a `head` (`ts`, `event` and the request's members)
/// and has the `origin` in its middle, both encoded once. The lines are the ones
/// `LogRecord.encode` writes, as `ResponseRecordsTests` checks; the records share one
/// timestamp.
struct ResponseRecords {
    private(set) var lines = LogLines<LogRecord>()
    private let response: ResponseFacts
    private let ts: Date
    /// `ts`, `event`, `request_id`, `policy`, `ruleset` of the violations and of the summary.
    private let violationHead: JSONMembers
    private let summaryHead: JSONMembers
    /// `provider`, `model`, `stream`.
    private let origin: JSONMembers
    /// The rules that fired, in first-seen order, and how many findings there were.
    private var rules: [String] = []
    private var findings = 0

    /// `ts`: when the records are made (all of them: they are made at once).
    init(_ response: ResponseFacts, at ts: Date = Date()) {
        self.response = response
        self.ts = ts
        violationHead = JSONLine.members { Self.writeHead(of: .violation, ts: ts, response, into: &$0) }
        summaryHead = JSONLine.members { Self.writeHead(of: .request, ts: ts, response, into: &$0) }
        origin = JSONLine.members { line in
            LogRecord.writeOrigin(
                provider: response.provider.rawValue, model: response.model, stream: response.stream, into: &line)
        }
    }

    private static func writeHead(
        of event: LogRecord.Event, ts: Date, _ response: ResponseFacts, into line: inout JSONLine
    ) {
        LogRecord.writeStart(ts: ts, event: event, into: &line)
        LogRecord.writeRequest(
            requestID: response.requestID, policy: response.policy, ruleset: response.ruleset, into: &line)
    }

    /// The record of `finding`, from choice (content block, candidate) `choice`; `match` and
    /// `context` in the log's privacy form, as UTF-8.
    mutating func add(_ finding: Finding, choice: Int, match: [UInt8]?, context: [UInt8]?) {
        if !rules.contains(finding.ruleID) { rules.append(finding.ruleID) }
        findings += 1
        let (ts, response, violationHead, origin) = (ts, response, violationHead, origin)
        lines.appendLine { line in
            if finding.kind == .match {
                line.members(violationHead)
            } else {
                // Rare (a rule that could not decide): its head is not worth keeping.
                Self.writeHead(of: .engineError, ts: ts, response, into: &line)
            }
            LogRecord.writeRule(
                pack: finding.pack, rule: finding.ruleID, action: finding.action.rawValue,
                mode: finding.mode.rawValue, severity: finding.severity.rawValue, into: &line)
            line.members(origin)
            LogRecord.writeFinding(
                choice: choice, span: finding.characterSpan, match: match, context: context, into: &line)
            LogRecord.writeDiagnosis(detail: finding.detail, scores: finding.scores, into: &line)
        }
    }

    /// The `request` record, after every finding: what was done to the response as a whole.
    mutating func addSummary(outcome: Verdict.Outcome) {
        let (summaryHead, origin, rules, findings, response) = (summaryHead, origin, rules, findings, response)
        lines.appendLine { line in
            line.members(summaryHead)
            LogRecord.writeRule(pack: nil, rule: nil, action: outcome.rawValue, mode: nil, severity: nil, into: &line)
            line.members(origin)
            LogRecord.writeSummary(
                rules: rules, findings: findings, upstreamStatus: response.upstreamStatus,
                latencyMs: response.latencyMs, into: &line)
        }
    }
}
