import OutguardLog

/// The latest label reviewers gave each finding, so the page can say which findings are
/// already judged. Feedback names a request and usually a rule; feedback without a rule
/// (an end user's "this answer was wrong") labels every finding of its request.
struct FindingLabels: Sendable {
    private var labels: [Key: LogRecord.Label] = [:]

    private struct Key: Hashable {
        let requestID: String
        let rule: String?
    }

    /// Notes a feedback record; read in log order, a later label replaces an earlier one.
    mutating func add(_ record: LogRecord) {
        guard record.event == .feedback, let requestID = record.requestID, let label = record.label else { return }
        labels[Key(requestID: requestID, rule: record.rule)] = label
    }

    func label(requestID: String, rule: String?) -> LogRecord.Label? {
        labels[Key(requestID: requestID, rule: rule)] ?? labels[Key(requestID: requestID, rule: nil)]
    }
}
