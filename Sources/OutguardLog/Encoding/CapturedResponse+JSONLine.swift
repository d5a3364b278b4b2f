extension CapturedResponse: JSONLineEncodable {
    /// Members in the order of `CodingKeys`.
    public func encode(into line: inout JSONLine) {
        line.object { line in
            line.member(Name.ts, ts)
            line.member(Name.requestID, requestID)
            line.member(Name.policy, policy)
            line.member(Name.ruleset, ruleset)
            line.member(Name.provider, provider)
            line.member(Name.model, model)
            line.member(Name.stream, stream)
            line.member(Name.hadFindings, hadFindings)
            line.member(Name.segments, segments) { line, segment in
                line.object { line in
                    line.member(Segment.Name.choice, segment.choice)
                    line.member(Segment.Name.field, segment.field)
                    line.member(Segment.Name.text, segment.text)
                }
            }
        }
    }
}

extension CapturedResponse {
    /// Each key as lines write it, made once.
    enum Name {
        static let ts = JSONName(CodingKeys.ts)
        static let requestID = JSONName(CodingKeys.requestID)
        static let policy = JSONName(CodingKeys.policy)
        static let ruleset = JSONName(CodingKeys.ruleset)
        static let provider = JSONName(CodingKeys.provider)
        static let model = JSONName(CodingKeys.model)
        static let stream = JSONName(CodingKeys.stream)
        static let hadFindings = JSONName(CodingKeys.hadFindings)
        static let segments = JSONName(CodingKeys.segments)
    }
}

extension CapturedResponse.Segment {
    enum Name {
        static let choice = JSONName(CodingKeys.choice)
        static let field = JSONName(CodingKeys.field)
        static let text = JSONName(CodingKeys.text)
    }
}
