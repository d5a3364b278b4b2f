public import Foundation

/// Which records a review looks at. Every filter that is set must hold; a record that
/// lacks the field a filter asks about does not match it (a `--rule` filter leaves out
/// reloads), except that a request summary matches a rule it lists in `rules`.
public struct LogQuery: Sendable, Equatable {
    /// Records at or after this time.
    public var since: Date?
    public var rule: String?
    public var pack: String?
    /// `enforce` or `shadow`.
    public var mode: String?
    public var event: LogRecord.Event?

    public init(
        since: Date? = nil, rule: String? = nil, pack: String? = nil, mode: String? = nil,
        event: LogRecord.Event? = nil
    ) {
        self.since = since
        self.rule = rule
        self.pack = pack
        self.mode = mode
        self.event = event
    }

    public func matches(_ record: LogRecord) -> Bool {
        if let since, record.ts < since { return false }
        if let event, record.event != event { return false }
        if let rule, record.rule != rule, record.rules?.contains(rule) != true { return false }
        if let pack, record.pack != pack { return false }
        if let mode, record.mode != mode { return false }
        return true
    }

    /// The start of a `--since` window: a duration back from `now` (`30m`, `24h`, `7d`,
    /// `2w`; `s` for seconds too) or a date or time (`2026-11-29`, `2026-11-29T07:00`,
    /// `2026-11-29T07:00:00.123Z`, `…+09:00`; UTC unless it says otherwise).
    /// `nil` when the text is neither.
    public static func start(since text: String, now: Date) -> Date? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        if let unit = text.last.flatMap({ units[$0] }),
            text.dropLast().allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
            let amount = Double(text.dropLast())
        {
            return now.addingTimeInterval(-amount * unit)
        }
        return LogTimestamp.date(from: text)
    }
}
