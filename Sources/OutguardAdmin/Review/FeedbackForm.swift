import Foundation
import OutguardLog

/// A label a reviewer gave a finding with the review page's buttons
/// (`POST /review/feedback`), checked before it becomes a feedback record.
struct FeedbackForm: Sendable, Equatable {
    /// Longer values are not something the page sends; they would only bloat the log.
    static let maximumIDLength = 200
    static let maximumNoteLength = 2000

    let requestID: String
    let rule: String
    let label: LogRecord.Label
    let note: String?

    init(_ fields: FormFields) throws(ReviewInputError) {
        requestID = try Self.required(fields["request_id"], what: "a request id", limit: Self.maximumIDLength)
        rule = try Self.required(fields["rule"], what: "a rule", limit: Self.maximumIDLength)
        guard let text = fields["label"] else {
            throw ReviewInputError(message: "The label is missing: use the “False positive” or “Correct” button.")
        }
        guard let label = LogRecord.Label(rawValue: text) else {
            let choices = LogRecord.Label.allCases.map(\.rawValue).joined(separator: ", ")
            throw ReviewInputError(message: "“\(text)” is not a label; labels are \(choices).")
        }
        self.label = label
        if let note = fields["note"], note.count > Self.maximumNoteLength {
            throw ReviewInputError(
                message: "The note has \(note.count) characters; keep it under \(Self.maximumNoteLength).")
        }
        note = fields["note"]
    }

    /// The feedback record, marked as coming from the review page.
    func record(at time: Date) -> LogRecord {
        var record = LogRecord(ts: time, event: .feedback)
        record.requestID = requestID
        record.rule = rule
        record.label = label
        record.note = note
        record.source = "review"
        return record
    }

    private static func required(_ value: String?, what: String, limit: Int) throws(ReviewInputError) -> String {
        guard let value else {
            throw ReviewInputError(message: "The label needs \(what): use the buttons next to a finding.")
        }
        guard value.count <= limit, !value.contains(where: { $0.isNewline || $0.asciiValue.map { $0 < 0x20 } == true })
        else {
            throw ReviewInputError(
                message: "That is not \(what) from the log (too long, or it has control characters).")
        }
        return value
    }
}
