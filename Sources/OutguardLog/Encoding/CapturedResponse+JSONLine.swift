extension CapturedResponse: JSONLineEncodable {
    /// Members in the order of `CodingKeys`.
    public func encode(into line: inout JSONLine) {
        line.object { line in
            line.member(CodingKeys.ts, ts)
            line.member(CodingKeys.requestID, requestID)
            line.member(CodingKeys.policy, policy)
            line.member(CodingKeys.ruleset, ruleset)
            line.member(CodingKeys.provider, provider)
            line.member(CodingKeys.model, model)
            line.member(CodingKeys.stream, stream)
            line.member(CodingKeys.hadFindings, hadFindings)
            line.member(CodingKeys.segments, segments) { line, segment in
                line.object { line in
                    line.member(Segment.CodingKeys.choice, segment.choice)
                    line.member(Segment.CodingKeys.field, segment.field)
                    line.member(Segment.CodingKeys.text, segment.text)
                }
            }
        }
    }
}
