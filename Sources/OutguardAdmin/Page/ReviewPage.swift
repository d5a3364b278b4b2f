import Foundation
import OutguardLog

/// What the review template shows, in the words and numbers a reviewer reads: every
/// value is a plain string, number, flag or list, since the template only places them
/// (HTML-escaped) and decides nothing.
struct ReviewPage: Sendable {
    /// One choice of a filter's `<select>`.
    struct Choice: Sendable {
        let value: String
        let title: String
        let selected: Bool
    }

    /// One line of the per-rule table.
    struct RuleLine: Sendable {
        let rule: String
        let hits: Int
        let enforced: Int
        let shadow: Int
        let requests: Int
        let falsePositives: Int
        let correct: Int
        let precision: String
    }

    /// One listed violation and its label buttons.
    struct Finding: Sendable {
        let time: String
        let requestID: String
        let rule: String
        let pack: String
        let severity: String
        let mode: String
        let isShadow: Bool
        let action: String
        let source: String
        let match: String
        let context: String
        /// How reviewers labelled it so far, `nil` while it is unjudged.
        let label: String?
    }

    let title = "Review"
    let subtitle: String
    let formToken: String
    /// The filters as a query string, for the label forms to come back to.
    let view: String
    let notice: String?

    let ruleChoices: [Choice]
    let packChoices: [Choice]
    let severityChoices: [Choice]
    let modeChoices: [Choice]
    let rangeChoices: [Choice]

    let noLog: Bool
    let hasLog: Bool
    let rangeTitle: String
    let hasFilters: Bool
    let ruleLines: [RuleLine]
    let hasRuleLines: Bool
    let findings: [Finding]
    let hasFindings: Bool
    /// "23 violations in 11 requests" and how many of them are listed.
    let countText: String
    let skippedText: String?

    init(filter: ReviewFilter, logPath: String?, snapshot: ReviewLog.Snapshot, formToken: String, notice: String?) {
        subtitle = logPath.map { "What the rules found in \($0), and how reviewers judged it." } ?? "No violation log."
        self.formToken = formToken
        view = filter.queryString
        self.notice = notice
        ruleChoices = Self.choices(snapshot.rules, selected: filter.rule, all: "All rules")
        packChoices = Self.choices(snapshot.packs, selected: filter.pack, all: "All packs")
        severityChoices = Self.choices(ReviewFilter.severities, selected: filter.severity, all: "Any severity")
        modeChoices = [
            Choice(value: "", title: "Enforced and shadow", selected: filter.mode == nil),
            Choice(value: "enforce", title: "Enforced only", selected: filter.mode == "enforce"),
            Choice(value: "shadow", title: "Shadow only (would have fired)", selected: filter.mode == "shadow"),
        ]
        rangeChoices = ReviewFilter.TimeRange.allCases.map {
            Choice(value: $0.rawValue, title: $0.title, selected: $0 == filter.range)
        }
        noLog = logPath == nil
        hasLog = logPath != nil
        rangeTitle = filter.range.title.lowercased()
        hasFilters = filter.rule != nil || filter.pack != nil || filter.severity != nil || filter.mode != nil
        ruleLines = snapshot.rows.map(Self.ruleLine)
        hasRuleLines = !ruleLines.isEmpty
        findings = snapshot.violations.map { Self.finding($0, labels: snapshot.labels) }
        hasFindings = !findings.isEmpty
        let listed =
            snapshot.matchingCount > findings.count ? "; the newest \(findings.count) are listed below" : ""
        countText =
            "\(Self.count(snapshot.matchingCount, "violation")) in \(Self.count(snapshot.requests, "request"))\(listed)."
        skippedText =
            snapshot.skipped.count == 0
            ? nil
            : "\(Self.count(snapshot.skipped.count, "line")) of the log could not be read and "
                + (snapshot.skipped.count == 1 ? "was" : "were") + " left out"
                + (snapshot.skipped.first.first.map { " (first: \($0))" } ?? "") + "."
    }

    private static func choices(_ values: [String], selected: String?, all: String) -> [Choice] {
        // A filter from a bookmark may name a rule the log no longer has: keep it selectable.
        let values = selected.map { values.contains($0) ? values : [$0] + values } ?? values
        return [Choice(value: "", title: all, selected: selected == nil)]
            + values.map { Choice(value: $0, title: $0, selected: $0 == selected) }
    }

    private static func ruleLine(_ row: LogSummary.Row) -> RuleLine {
        RuleLine(
            rule: row.key, hits: row.counts.hits, enforced: row.counts.enforced, shadow: row.counts.shadow,
            requests: row.counts.requests, falsePositives: row.counts.falsePositive, correct: row.counts.correct,
            precision: row.counts.precision.map { "\(Int(($0 * 100).rounded()))%" } ?? "–")
    }

    private static func finding(_ record: LogRecord, labels: FindingLabels) -> Finding {
        let requestID = record.requestID ?? ""
        let isShadow = record.mode == "shadow"
        let source = [record.provider, record.model].compactMap { $0 }.joined(separator: " · ")
        return Finding(
            time: displayTime(record), requestID: requestID, rule: record.rule ?? "", pack: record.pack ?? "",
            severity: record.severity ?? "", mode: record.mode ?? "", isShadow: isShadow,
            action: actionText(record.action, shadow: isShadow), source: source, match: record.match ?? "",
            context: record.context ?? "",
            label: labels.label(requestID: requestID, rule: record.rule).map(labelText))
    }

    /// `2026-11-29 07:00:00 UTC`: seconds are precise enough to find a request.
    private static func displayTime(_ record: LogRecord) -> String {
        LogTimestamp.string(from: record.ts).prefix(19).replacingOccurrences(of: "T", with: " ") + " UTC"
    }

    /// What happened to the text, or in shadow mode what would have.
    private static func actionText(_ action: String?, shadow: Bool) -> String {
        guard let action else { return "" }
        if shadow { return "would \(action)" }
        switch action {
        case "redact": return "redacted"
        case "block": return "blocked"
        case "log": return "logged"
        default: return action
        }
    }

    private static func labelText(_ label: LogRecord.Label) -> String {
        switch label {
        case .falsePositive: "false positive"
        case .correct: "correct"
        case .falseNegative: "missed (false negative)"
        }
    }

    private static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}
