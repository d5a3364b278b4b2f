public import Foundation

/// One line of the violation log (JSONL). Every event shares this one flat shape so the
/// log stays greppable, a log pipeline can index it without a schema per event, and the
/// review tools read all events with one reader. Fields an event does not use are absent
/// from its line, never `null`.
///
/// The keys are the contract of DESIGN.md ("Violation log"); they may grow, never change.
public struct LogRecord: Sendable, Hashable, Codable {
    public enum Event: String, Sendable, Hashable, Codable, CaseIterable {
        /// One finding of one response (shadow and log-only findings included).
        case violation
        /// A rule that could not decide (regex match limit, classifier failure).
        case engineError = "engine_error"
        /// One filtered response that had findings: what was done to it, as a whole.
        case request
        /// A person's judgement of a finding or a response.
        case feedback
        /// The daemon swapped its policy.
        case reload
    }

    /// Feedback labels: what a reviewer or an end user said about a finding.
    public enum Label: String, Sendable, Hashable, Codable, CaseIterable {
        /// The rule fired on text it should have left alone.
        case falsePositive = "false_positive"
        /// The rule should have fired and did not.
        case falseNegative = "false_negative"
        /// The rule was right.
        case correct
    }

    /// When the record was made (written as ISO 8601 UTC with milliseconds).
    public var ts: Date
    public var event: Event
    /// The `Outguard-Request-Id` of the response; absent on `reload`.
    public var requestID: String?
    public var policy: String?
    /// `sha256:…` of the rule set that produced the record.
    public var ruleset: String?
    public var pack: String?
    public var rule: String?
    /// violation: the rule's action (`redact`, `block`, `log`);
    /// request: the response's outcome (`pass`, `shadow`, `redact`, `block`).
    public var action: String?
    /// `enforce` or `shadow`.
    public var mode: String?
    public var severity: String?
    /// The API shape, e.g. `openai.chat`, `anthropic.messages`.
    public var provider: String?
    public var model: String?
    public var stream: Bool?
    /// Which choice / content block / candidate the text came from.
    public var choice: Int?
    /// The match's place in the segment's text, in Unicode scalars: `[start, end)`.
    public var span: [Int]?
    /// The matched text in the configured privacy form (masked, HMAC, full); absent with `none`.
    public var match: String?
    /// The text around the match, every finding in it replaced by its privacy form.
    public var context: String?
    /// engine_error: what went wrong.
    public var detail: String?
    /// A classifier rule's violation: the score of each of its categories.
    public var scores: [String: Double]?

    // request summaries
    /// The rules that fired in the response, in first-seen order.
    public var rules: [String]?
    public var findings: Int?
    public var upstreamStatus: Int?
    /// From the request's arrival to the response's last byte, in milliseconds.
    public var latencyMs: Double?

    // feedback
    public var label: Label?
    public var note: String?
    /// Who gave the feedback: `api` (the app's end user), `cli`, `review` (the review page).
    public var source: String?

    // reload
    public var oldRuleset: String?

    public init(ts: Date = Date(), event: Event) {
        self.ts = ts
        self.event = event
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case ts, event
        case requestID = "request_id"
        case policy, ruleset, pack, rule, action, mode, severity, provider, model, stream, choice, span,
            match, context, detail, scores, rules, findings
        case upstreamStatus = "upstream_status"
        case latencyMs = "latency_ms"
        case label, note, source
        case oldRuleset = "old_ruleset"
    }
}
