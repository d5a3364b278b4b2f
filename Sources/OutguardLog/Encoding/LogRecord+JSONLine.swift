extension LogRecord: JSONLineEncodable {
    /// Members in the order of `CodingKeys`, so a line reads the same as the design's example.
    public func encode(into line: inout JSONLine) {
        line.object { line in
            line.member(CodingKeys.ts, ts)
            line.member(CodingKeys.event, event)
            line.member(CodingKeys.requestID, requestID)
            line.member(CodingKeys.policy, policy)
            line.member(CodingKeys.ruleset, ruleset)
            line.member(CodingKeys.pack, pack)
            line.member(CodingKeys.rule, rule)
            line.member(CodingKeys.action, action)
            line.member(CodingKeys.mode, mode)
            line.member(CodingKeys.severity, severity)
            line.member(CodingKeys.provider, provider)
            line.member(CodingKeys.model, model)
            line.member(CodingKeys.stream, stream)
            line.member(CodingKeys.choice, choice)
            line.member(CodingKeys.span, span)
            line.member(CodingKeys.match, match)
            line.member(CodingKeys.context, context)
            line.member(CodingKeys.detail, detail)
            line.member(CodingKeys.scores, scores)
            line.member(CodingKeys.rules, rules)
            line.member(CodingKeys.findings, findings)
            line.member(CodingKeys.upstreamStatus, upstreamStatus)
            line.member(CodingKeys.latencyMs, latencyMs)
            line.member(CodingKeys.label, label)
            line.member(CodingKeys.note, note)
            line.member(CodingKeys.source, source)
            line.member(CodingKeys.oldRuleset, oldRuleset)
        }
    }
}
