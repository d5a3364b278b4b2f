import NIOCore
import NIOHTTP1
import OutguardLog

/// `POST /v1/outguard/feedback`: an app forwards its end user's "this was wrong".
/// Body: `{"request_id": "…", "rule": "pii.email", "label": "false_positive", "note": "…"}`
/// (`rule` and `note` optional).
struct FeedbackRequest {
    static let path = "/v1/outguard/feedback"
    /// Longer notes are cut: a note is a reviewer's hint, not a document.
    static let maxNoteCharacters = 2_000

    var requestID: String
    var rule: String?
    var label: LogRecord.Label
    var note: String?

    /// Reads and checks the body; the error says what to send instead.
    init(body: [UInt8]) throws(FeedbackError) {
        let root: JSONNode
        do {
            root = try JSONDocument(body).root
        } catch {
            throw FeedbackError("The body is not JSON (\(error)); send {\"request_id\": …, \"label\": …}.")
        }
        guard root.kind == .object else {
            throw FeedbackError("The body must be a JSON object: {\"request_id\": …, \"label\": …}.")
        }
        guard let requestID = root["request_id"]?.string, !requestID.isEmpty else {
            throw FeedbackError(
                "`request_id` is missing: send the Outguard-Request-Id header of the response the feedback is about.")
        }
        let labels = LogRecord.Label.allCases.map(\.rawValue).joined(separator: ", ")
        guard let labelText = root["label"]?.string else {
            throw FeedbackError("`label` is missing: send one of \(labels).")
        }
        guard let label = LogRecord.Label(rawValue: labelText) else {
            throw FeedbackError("`label` must be one of \(labels), not `\(labelText)`.")
        }
        for key in ["rule", "note"] {
            if let node = root[key], node.string == nil {
                throw FeedbackError("`\(key)` must be a string.")
            }
        }
        self.requestID = requestID
        self.label = label
        rule = root["rule"]?.string
        note = root["note"]?.string.map { String($0.prefix(Self.maxNoteCharacters)) }
    }

    /// Checks a feedback request against what this daemon served and queues its record;
    /// returns the request id it is about, or the error to answer with.
    static func submit(method: HTTPMethod, body: ByteBuffer, runtime: ProxyRuntime) -> Result<String, Rejection> {
        let refusal = { (status: HTTPResponseStatus, code: String, message: String) in
            Result<String, Rejection>.failure(Rejection(status: status, code: code, message: message))
        }
        guard method == .POST else {
            return refusal(.methodNotAllowed, "method_not_allowed", "Send feedback with POST \(path).")
        }
        guard let log = runtime.log else {
            return refusal(
                .serviceUnavailable, "no_log",
                "No violation log is configured (log.path in outguard.yaml), so feedback cannot be recorded.")
        }
        let feedback: FeedbackRequest
        do {
            feedback = try FeedbackRequest(body: Array(body.readableBytesView))
        } catch {
            return refusal(.badRequest, "invalid_feedback", error.message)
        }
        guard log.recentRequests.contains(feedback.requestID) else {
            return refusal(
                .badRequest, "unknown_request_id",
                "Outguard has not served a response with request id `\(feedback.requestID)` (it remembers the last "
                    + "\(log.recentRequests.capacity)); send the Outguard-Request-Id header of the response.")
        }
        if let rule = feedback.rule,
            !runtime.policies.values.contains(where: { $0.policy.rules.contains { $0.id == rule } })
        {
            return refusal(
                .badRequest, "unknown_rule",
                "No loaded rule is named `\(rule)`; leave `rule` out to label the whole response.")
        }
        guard log.records.submit(feedback.record(source: "api")) else {
            return refusal(
                .serviceUnavailable, "log_queue_full", "The violation log's queue is full; try again shortly.")
        }
        return .success(feedback.requestID)
    }

    /// The log record this feedback becomes.
    func record(source: String) -> LogRecord {
        var record = LogRecord(event: .feedback)
        record.requestID = requestID
        record.rule = rule
        record.label = label
        record.note = note
        record.source = source
        return record
    }
}

/// Why a feedback request was refused, in words for the developer who sent it.
struct FeedbackError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
