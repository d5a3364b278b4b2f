public import Foundation

extension LogRecord: JSONLineEncodable {
    /// Members in the order of `CodingKeys`, so a line reads the same as the design's example.
    ///
    /// The runs of members that a response's records share are written by the functions
    /// below, which the proxy also calls to encode a response's records without building
    /// `LogRecord` values (`ResponseRecords`): a line reads the same either way.
    public func encode(into line: inout JSONLine) {
        line.object { line in
            Self.writeStart(ts: ts, event: event, into: &line)
            Self.writeRequest(requestID: requestID, policy: policy, ruleset: ruleset, into: &line)
            Self.writeRule(pack: pack, rule: rule, action: action, mode: mode, severity: severity, into: &line)
            Self.writeOrigin(provider: provider, model: model, stream: stream, into: &line)
            line.member(CodingKeys.choice, choice)
            line.member(CodingKeys.span, span)
            line.member(CodingKeys.match, match)
            line.member(CodingKeys.context, context)
            Self.writeDiagnosis(detail: detail, scores: scores, into: &line)
            Self.writeSummary(
                rules: rules, findings: findings, upstreamStatus: upstreamStatus, latencyMs: latencyMs, into: &line)
            line.member(CodingKeys.label, label)
            line.member(CodingKeys.note, note)
            line.member(CodingKeys.source, source)
            line.member(CodingKeys.oldRuleset, oldRuleset)
        }
    }

    /// `ts`, `event`: every record's first members.
    public static func writeStart(ts: Date, event: Event, into line: inout JSONLine) {
        line.member(CodingKeys.ts, ts)
        line.member(CodingKeys.event, event)
    }

    /// `request_id`, `policy`, `ruleset`: the same in every record of a response.
    public static func writeRequest(requestID: String?, policy: String?, ruleset: String?, into line: inout JSONLine) {
        line.member(CodingKeys.requestID, requestID)
        line.member(CodingKeys.policy, policy)
        line.member(CodingKeys.ruleset, ruleset)
    }

    /// `pack`, `rule`, `action`, `mode`, `severity`: what fired, and what it did.
    public static func writeRule(
        pack: String?, rule: String?, action: String?, mode: String?, severity: String?, into line: inout JSONLine
    ) {
        line.member(CodingKeys.pack, pack)
        line.member(CodingKeys.rule, rule)
        line.member(CodingKeys.action, action)
        line.member(CodingKeys.mode, mode)
        line.member(CodingKeys.severity, severity)
    }

    /// `provider`, `model`, `stream`: the same in every record of a response.
    public static func writeOrigin(provider: String?, model: String?, stream: Bool?, into line: inout JSONLine) {
        line.member(CodingKeys.provider, provider)
        line.member(CodingKeys.model, model)
        line.member(CodingKeys.stream, stream)
    }

    /// `choice`, `span`, `match`, `context` of a finding, as `encode(into:)` writes them from
    /// a record, from what `MatchContext` gives: the span as a range rather than an array,
    /// `match` and `context` as UTF-8 rather than strings.
    public static func writeFinding(
        choice: Int, span: Range<Int>, match: [UInt8]?, context: [UInt8]?, into line: inout JSONLine
    ) {
        line.member(CodingKeys.choice, choice)
        line.member(CodingKeys.span, span)
        line.member(CodingKeys.match, utf8: match)
        line.member(CodingKeys.context, utf8: context)
    }

    /// `detail`, `scores`: why an engine error happened, a classifier's scores.
    public static func writeDiagnosis(detail: String?, scores: [String: Double]?, into line: inout JSONLine) {
        line.member(CodingKeys.detail, detail)
        line.member(CodingKeys.scores, scores)
    }

    /// `rules`, `findings`, `upstream_status`, `latency_ms`: a `request` record's own.
    public static func writeSummary(
        rules: [String]?, findings: Int?, upstreamStatus: Int?, latencyMs: Double?, into line: inout JSONLine
    ) {
        line.member(CodingKeys.rules, rules)
        line.member(CodingKeys.findings, findings)
        line.member(CodingKeys.upstreamStatus, upstreamStatus)
        line.member(CodingKeys.latencyMs, latencyMs)
    }
}
