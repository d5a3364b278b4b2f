import Foundation
import OutguardLog

/// A request the review page cannot serve as asked, with a sentence that says what to
/// send instead; shown on a 400 page.
struct ReviewInputError: Error, Equatable {
    let message: String
}

/// What the review page shows: the filter form's choices, read from the query string
/// (`/review?rule=pii.email&mode=shadow&range=7d`) and written back into links, so that
/// a filtered view can be bookmarked and survives a label being saved.
struct ReviewFilter: Sendable, Equatable {
    /// The time range choices; the raw values are the `--since` spellings of `outguard logs`.
    enum TimeRange: String, Sendable, CaseIterable {
        case hour = "1h"
        case day = "24h"
        case week = "7d"
        case all

        var title: String {
            switch self {
            case .hour: "Last hour"
            case .day: "Last 24 hours"
            case .week: "Last 7 days"
            case .all: "All time"
            }
        }

        fileprivate var seconds: TimeInterval? {
            switch self {
            case .hour: 3600
            case .day: 86_400
            case .week: 604_800
            case .all: nil
            }
        }
    }

    static let severities = ["info", "low", "medium", "high", "critical"]
    static let modes = ["enforce", "shadow"]

    var rule: String?
    var pack: String?
    var severity: String?
    var mode: String?
    var range = TimeRange.day

    /// The default view: everything of the last 24 hours.
    init() {}

    /// Reads the filter fields; other fields are left to their readers.
    init(_ fields: FormFields) throws(ReviewInputError) {
        rule = fields["rule"]
        pack = fields["pack"]
        severity = try Self.choice(fields["severity"], of: Self.severities, field: "severity")
        mode = try Self.choice(fields["mode"], of: Self.modes, field: "mode")
        if let text = fields["range"] {
            guard let range = TimeRange(rawValue: text) else {
                throw ReviewInputError(
                    message: Self.unknown(text, field: "range", choices: TimeRange.allCases.map(\.rawValue)))
            }
            self.range = range
        }
    }

    /// The query string that shows this view again (empty for the default view).
    var queryString: String {
        FormFields.encode([
            ("rule", rule ?? ""), ("pack", pack ?? ""), ("severity", severity ?? ""), ("mode", mode ?? ""),
            ("range", range == .day ? "" : range.rawValue),
        ])
    }

    /// `/review` with this view's filters.
    var pagePath: String {
        queryString.isEmpty ? "/review" : "/review?\(queryString)"
    }

    /// The records the per-rule counts and the list look at; severity is not part of a
    /// `LogQuery`, `matchesSeverity` adds it.
    func query(now: Date) -> LogQuery {
        LogQuery(since: range.seconds.map { now.addingTimeInterval(-$0) }, rule: rule, pack: pack, mode: mode)
    }

    func matchesSeverity(_ record: LogRecord) -> Bool {
        severity == nil || record.severity == severity
    }

    private static func choice(_ value: String?, of choices: [String], field: String) throws(ReviewInputError)
        -> String?
    {
        guard let value else { return nil }
        guard choices.contains(value) else {
            throw ReviewInputError(message: unknown(value, field: field, choices: choices))
        }
        return value
    }

    private static func unknown(_ value: String, field: String, choices: [String]) -> String {
        "“\(value)” is not a \(field) the review page knows; choose one of: \(choices.joined(separator: ", "))."
    }
}
