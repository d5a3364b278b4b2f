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
            line.member(Name.choice, choice)
            line.member(Name.span, span)
            line.member(Name.match, match)
            line.member(Name.context, context)
            Self.writeDiagnosis(detail: detail, scores: scores, into: &line)
            Self.writeSummary(
                rules: rules, findings: findings, upstreamStatus: upstreamStatus, latencyMs: latencyMs, into: &line)
            line.member(Name.label, label)
            line.member(Name.note, note)
            line.member(Name.source, source)
            line.member(Name.oldRuleset, oldRuleset)
        }
    }

    /// `ts`, `event`: every record's first members.
    static func writeStart(ts: Date, event: Event, into line: inout JSONLine) {
        writeTime(ts, into: &line)
        writeEvent(event, into: &line)
    }

    /// `ts`: the same in every record of a response.
    public static func writeTime(_ ts: Date, into line: inout JSONLine) {
        line.member(Name.ts, ts)
    }

    public static func writeEvent(_ event: Event, into line: inout JSONLine) {
        line.member(Name.event, event)
    }

    /// `request_id`, `policy`, `ruleset`: the same in every record of a response.
    static func writeRequest(requestID: String?, policy: String?, ruleset: String?, into line: inout JSONLine) {
        writeRequestID(requestID, into: &line)
        writePolicy(policy: policy, ruleset: ruleset, into: &line)
    }

    public static func writeRequestID(_ requestID: String?, into line: inout JSONLine) {
        line.member(Name.requestID, requestID)
    }

    /// `policy`, `ruleset`: the same in every record of a policy.
    public static func writePolicy(policy: String?, ruleset: String?, into line: inout JSONLine) {
        line.member(Name.policy, policy)
        line.member(Name.ruleset, ruleset)
    }

    /// `pack`, `rule`, `action`, `mode`, `severity`: what fired, and what it did.
    public static func writeRule(
        pack: String?, rule: String?, action: String?, mode: String?, severity: String?, into line: inout JSONLine
    ) {
        line.member(Name.pack, pack)
        line.member(Name.rule, rule)
        line.member(Name.action, action)
        line.member(Name.mode, mode)
        line.member(Name.severity, severity)
    }

    /// `provider`, `model`, `stream`: the same in every record of a response.
    public static func writeOrigin(provider: String?, model: String?, stream: Bool?, into line: inout JSONLine) {
        line.member(Name.provider, provider)
        line.member(Name.model, model)
        line.member(Name.stream, stream)
    }

    /// `choice`, `span`, `match`, `context` of a finding, as `encode(into:)` writes them from
    /// a record, from what `MatchContext` gives: the span as a range rather than an array,
    /// `match` and `context` as UTF-8 rather than strings.
    public static func writeFinding(
        choice: Int, span: Range<Int>, match: [UInt8]?, context: [UInt8]?, into line: inout JSONLine
    ) {
        line.member(Name.choice, choice)
        line.member(Name.span, span)
        line.member(Name.match, utf8: match)
        line.member(Name.context, utf8: context)
    }

    /// `detail`, `scores`: why an engine error happened, a classifier's scores.
    public static func writeDiagnosis(detail: String?, scores: [String: Double]?, into line: inout JSONLine) {
        line.member(Name.detail, detail)
        line.member(Name.scores, scores)
    }

    /// `rules`, `findings`, `upstream_status`, `latency_ms`: a `request` record's own.
    public static func writeSummary(
        rules: [String]?, findings: Int?, upstreamStatus: Int?, latencyMs: Double?, into line: inout JSONLine
    ) {
        line.member(Name.rules, rules)
        line.member(Name.findings, findings)
        line.member(Name.upstreamStatus, upstreamStatus)
        line.member(Name.latencyMs, latencyMs)
    }
}

extension LogRecord {
    /// Each key as lines write it, made once.
    enum Name {
        static let ts = JSONName(CodingKeys.ts)
        static let event = JSONName(CodingKeys.event)
        static let requestID = JSONName(CodingKeys.requestID)
        static let policy = JSONName(CodingKeys.policy)
        static let ruleset = JSONName(CodingKeys.ruleset)
        static let pack = JSONName(CodingKeys.pack)
        static let rule = JSONName(CodingKeys.rule)
        static let action = JSONName(CodingKeys.action)
        static let mode = JSONName(CodingKeys.mode)
        static let severity = JSONName(CodingKeys.severity)
        static let provider = JSONName(CodingKeys.provider)
        static let model = JSONName(CodingKeys.model)
        static let stream = JSONName(CodingKeys.stream)
        static let choice = JSONName(CodingKeys.choice)
        static let span = JSONName(CodingKeys.span)
        static let match = JSONName(CodingKeys.match)
        static let context = JSONName(CodingKeys.context)
        static let detail = JSONName(CodingKeys.detail)
        static let scores = JSONName(CodingKeys.scores)
        static let rules = JSONName(CodingKeys.rules)
        static let findings = JSONName(CodingKeys.findings)
        static let upstreamStatus = JSONName(CodingKeys.upstreamStatus)
        static let latencyMs = JSONName(CodingKeys.latencyMs)
        static let label = JSONName(CodingKeys.label)
        static let note = JSONName(CodingKeys.note)
        static let source = JSONName(CodingKeys.source)
        static let oldRuleset = JSONName(CodingKeys.oldRuleset)
    }
}
