import OutguardEngine
public import OutguardLog

/// Where a running proxy's findings go: a `violation` (or `engine_error`) record per
/// finding and a `request` record per response that had any, in the log's privacy form;
/// the original text to the capture file when it is configured; and the ids of the
/// responses served, so feedback about them can be checked.
///
/// Called on the event loop once per response, after its last byte; it only builds and
/// encodes records and queues them, a response's records as one block (`LogWriter.submit`
/// never waits for the disk).
public final class ViolationLog: Sendable {
    let records: LogWriter<LogRecord>
    let captures: LogWriter<CapturedResponse>?
    private let form: MatchForm
    private let sampler: CaptureSampler?
    let recentRequests = RecentRequests()

    public init(records: LogWriter<LogRecord>, captures: LogWriter<CapturedResponse>?, config: LogConfig) {
        self.records = records
        self.captures = captures
        form = MatchForm(config)
        sampler = config.capture.map(CaptureSampler.init)
    }

    /// Records one filtered response.
    func report(_ response: ResponseFacts, texts: [FilteredText], outcome: Verdict.Outcome) {
        let findings = texts.reduce(0) { $0 + $1.findings.count }
        if findings > 0 {
            var responseRecords = ResponseRecords(response)
            for text in texts where !text.findings.isEmpty {
                let context = MatchContext(text: text.original, spans: text.findings.map(\.byteSpan), form: form)
                for (index, finding) in text.findings.enumerated() {
                    let isMatch = finding.kind == .match
                    responseRecords.add(
                        finding, choice: text.segment.index,
                        match: isMatch ? context.match(of: index) : nil,
                        context: isMatch ? context.context(of: index) : nil)
                }
            }
            responseRecords.addSummary(outcome: outcome)
            records.submit(responseRecords.lines)
        }
        if let captures, let sampler, sampler.captures(hadFindings: findings > 0) {
            captures.submit(
                CapturedResponse(
                    requestID: response.requestID, policy: response.policy.name, ruleset: response.policy.ruleset,
                    provider: response.provider.rawValue, model: response.model, stream: response.stream,
                    hadFindings: findings > 0,
                    segments: texts.map {
                        CapturedResponse.Segment(
                            choice: $0.segment.index, field: $0.segment.field.name, text: $0.original)
                    }))
        }
    }

    /// Records that a reload put a new policy in place, so reviewers can tell the records
    /// before it from those after.
    func reported(reloadFrom oldRuleset: String, to ruleset: String, trigger: ReloadTrigger) {
        var record = LogRecord(event: .reload)
        record.ruleset = ruleset
        record.oldRuleset = oldRuleset
        record.source = trigger.rawValue
        records.submit(record)
    }
}

/// What the log says about a response besides its findings.
struct ResponseFacts {
    var requestID: String
    var policy: LoggedPolicy
    var provider: Provider
    var model: String?
    var stream: Bool
    var upstreamStatus: Int
    var latencyMs: Double
}

extension SegmentKey.Field {
    /// The field's name in capture files.
    var name: String {
        switch self {
        case .text: "text"
        case .refusal: "refusal"
        case .toolArguments: "tool_arguments"
        }
    }
}
