import Foundation
import OutguardEngine
import OutguardLog

/// The log lines of one response with findings: a `violation` (or `engine_error`) per
/// finding and the `request` summary, encoded straight from the findings.
///
/// Every response with findings is logged on the event loop that served it, so this skips
/// what the lines do not need: a `LogRecord` per finding (two dozen fields set, copied and
/// destroyed, and an array for its span), and encoding the members the records share more
/// than once: the response's `ts`, its request's members and its origin are encoded once
/// for all its lines, the policy's and each rule's members once for the policy
/// (`LoggedPolicy`). The lines are the ones `LogRecord.encode` writes, as
/// `ResponseRecordsTests` checks; the records share one timestamp.
struct ResponseRecords {
    private(set) var lines = LogLines<LogRecord>()
    private let response: ResponseFacts
    /// `ts`.
    private let time: JSONMembers
    /// `request_id`, `policy`, `ruleset`.
    private let request: JSONMembers
    /// `provider`, `model`, `stream`.
    private let origin: JSONMembers
    /// The rules that fired, in first-seen order, and how many findings there were.
    private var rules: [String] = []
    private var findings = 0

    /// `ts`: when the records are made (all of them: they are made at once).
    init(_ response: ResponseFacts, at ts: Date = Date()) {
        self.response = response
        time = JSONLine.members { LogRecord.writeTime(ts, into: &$0) }
        request = JSONLine.members { line in
            LogRecord.writeRequestID(response.requestID, into: &line)
            line.members(response.policy.members)
        }
        origin = JSONLine.members { line in
            LogRecord.writeOrigin(
                provider: response.provider.rawValue, model: response.model, stream: response.stream, into: &line)
        }
    }

    /// The record of `finding`, from choice (content block, candidate) `choice`; `match` and
    /// `context` in the log's privacy form, as UTF-8.
    mutating func add(_ finding: Finding, choice: Int, match: [UInt8]?, context: [UInt8]?) {
        if !rules.contains(finding.ruleID) { rules.append(finding.ruleID) }
        findings += 1
        let (time, request, policy, origin) = (time, request, response.policy, origin)
        lines.appendLine { line in
            line.members(time)
            LogRecord.writeEvent(finding.kind == .match ? .violation : .engineError, into: &line)
            line.members(request)
            policy.writeRule(of: finding, into: &line)
            line.members(origin)
            LogRecord.writeFinding(
                choice: choice, span: finding.characterSpan, match: match, context: context, into: &line)
            LogRecord.writeDiagnosis(detail: finding.detail, scores: finding.scores, into: &line)
        }
    }

    /// The `request` record, after every finding: what was done to the response as a whole.
    mutating func addSummary(outcome: Verdict.Outcome) {
        let (time, request, origin, rules, findings, response) = (time, request, origin, rules, findings, response)
        lines.appendLine { line in
            line.members(time)
            LogRecord.writeEvent(.request, into: &line)
            line.members(request)
            LogRecord.writeRule(pack: nil, rule: nil, action: outcome.rawValue, mode: nil, severity: nil, into: &line)
            line.members(origin)
            LogRecord.writeSummary(
                rules: rules, findings: findings, upstreamStatus: response.upstreamStatus,
                latencyMs: response.latencyMs, into: &line)
        }
    }
}
