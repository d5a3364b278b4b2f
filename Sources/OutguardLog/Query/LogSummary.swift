/// What fired, per rule (or pack, model, day), and what reviewers said about it: the
/// numbers of `outguard logs summary` and of the review page. Made by `LogSummarizer`.
public struct LogSummary: Sendable, Equatable {
    public enum Grouping: String, Sendable, CaseIterable {
        case rule, pack, model, day
    }

    /// The counts of one group, or of all of them.
    public struct Counts: Sendable, Equatable {
        /// Violations: every finding, enforced or shadow.
        public var hits = 0
        /// Findings of rules in enforce mode: what was redacted, blocked or logged.
        public var enforced = 0
        /// Findings of rules in shadow mode: what the rule would have done.
        public var shadow = 0
        /// Distinct requests with at least one hit.
        public var requests = 0
        public var falsePositive = 0
        public var falseNegative = 0
        public var correct = 0

        public init() {}

        /// The share of judged findings that were right: correct / (correct + false
        /// positive). `nil` until a finding has been judged either way (misses say
        /// nothing about precision).
        public var precision: Double? {
            let judged = correct + falsePositive
            return judged > 0 ? Double(correct) / Double(judged) : nil
        }

        mutating func count(_ label: LogRecord.Label) {
            switch label {
            case .falsePositive: falsePositive += 1
            case .falseNegative: falseNegative += 1
            case .correct: correct += 1
            }
        }
    }

    public struct Row: Sendable, Equatable {
        /// The rule id, pack, model or day (`2026-11-29`, UTC); `(none)` for records without one.
        public let key: String
        public let counts: Counts
    }

    public let grouping: Grouping
    /// Days in order; otherwise the most hits first.
    public let rows: [Row]
    /// Hits, enforced, shadow and labels are the rows' sums; requests are distinct
    /// requests (one request can be in several rows).
    public let total: Counts
}

extension LogSummary: Encodable {
    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// `{"by": "rule", "rows": [{"rule": "pii.email", "hits": …, "precision": 0.9 | null}], "total": {…}}`:
    /// each row names its group by the grouping, and every count is always there, so
    /// scripts need no defaults.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(grouping.rawValue, forKey: Key("by"))
        var rowsContainer = container.nestedUnkeyedContainer(forKey: Key("rows"))
        for row in rows {
            var rowContainer = rowsContainer.nestedContainer(keyedBy: Key.self)
            try rowContainer.encode(row.key, forKey: Key(grouping.rawValue))
            try Self.encode(row.counts, into: &rowContainer)
        }
        var totalContainer = container.nestedContainer(keyedBy: Key.self, forKey: Key("total"))
        try Self.encode(total, into: &totalContainer)
    }

    private static func encode(_ counts: Counts, into container: inout KeyedEncodingContainer<Key>) throws {
        try container.encode(counts.hits, forKey: Key("hits"))
        try container.encode(counts.enforced, forKey: Key("enforced"))
        try container.encode(counts.shadow, forKey: Key("shadow"))
        try container.encode(counts.requests, forKey: Key("requests"))
        try container.encode(counts.falsePositive, forKey: Key(LogRecord.Label.falsePositive.rawValue))
        try container.encode(counts.falseNegative, forKey: Key(LogRecord.Label.falseNegative.rawValue))
        try container.encode(counts.correct, forKey: Key(LogRecord.Label.correct.rawValue))
        if let precision = counts.precision {
            try container.encode(precision, forKey: Key("precision"))
        } else {
            try container.encodeNil(forKey: Key("precision"))
        }
    }
}
