import ArgumentParser
import Foundation
import OutguardLog

/// `outguard logs summary`: hits, shadow hits, requests and reviewers' labels per rule.
struct LogsSummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Count what fired per rule, pack, model or day, with feedback and precision.",
        discussion: """
            hits: findings; enforced / shadow: findings of rules in each mode (shadow is
            what a rule would have done); requests: requests with at least one hit;
            false_positive, false_negative, correct: feedback labels; precision:
            correct / (correct + false_positive), – until something is labelled.

            Examples:
              outguard logs summary --since 24h
              outguard logs summary --mode shadow --by pack
              outguard logs summary 'collected/*.jsonl*' --by day --json
            """)

    @OptionGroup var source: LogFileOptions
    @OptionGroup var filters: LogFilterOptions

    @Option(
        help: "Group by rule, pack, model or day (UTC).",
        transform: { text in
            guard let grouping = LogSummary.Grouping(rawValue: text) else {
                throw ValidationError("--by \(text): write rule, pack, model or day")
            }
            return grouping
        })
    var by: LogSummary.Grouping = .rule

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func run() throws {
        let files = try source.resolve()
        var summarizer = LogSummarizer(grouping: by, query: filters.query())
        try LogReading.read(files.paths, detail: .counting) { record, _ in summarizer.add(record) }
        let summary = summarizer.summary()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            Terminal.print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            for line in SummaryTable.lines(of: summary) { Terminal.print(line) }
        }
    }
}

/// The summary as an aligned table: names left, numbers right, a total last.
enum SummaryTable {
    static func lines(of summary: LogSummary) -> [String] {
        let numbers = [
            "hits", "enforced", "shadow", "requests", "false_positive", "false_negative", "correct", "precision",
        ]
        var table = TextTable(
            [TextTable.Column(title: summary.grouping.rawValue, alignment: .left)]
                + numbers.map { TextTable.Column(title: $0, alignment: .right) })
        for row in summary.rows { table.append(cells(row.key, row.counts)) }
        table.append(cells("total", summary.total))
        return table.lines
    }

    private static func cells(_ key: String, _ counts: LogSummary.Counts) -> [String] {
        [
            key, String(counts.hits), String(counts.enforced), String(counts.shadow), String(counts.requests),
            String(counts.falsePositive), String(counts.falseNegative), String(counts.correct),
            counts.precision.map { String(format: "%.2f", $0) } ?? "–",
        ]
    }
}
