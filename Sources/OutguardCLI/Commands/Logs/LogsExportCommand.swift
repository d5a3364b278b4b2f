import ArgumentParser
import OutguardLog

/// `outguard logs export`: records for a spreadsheet or another tool.
struct LogsExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print the records as CSV or JSONL.",
        discussion: """
            csv: a header row with the log's keys, one row a record, RFC 4180 quoting,
            lists space-separated. jsonl: each record's line as it is in the log, unknown
            keys included.

            Examples:
              outguard logs export --format csv --since 7d --rule pii.email > pii-email.csv
              outguard logs export --format jsonl --event feedback
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv, jsonl
    }

    @Option(help: "csv or jsonl.")
    var format = Format.jsonl

    @OptionGroup var source: LogFileOptions
    @OptionGroup var filters: LogFilterOptions
    @OptionGroup var event: LogEventOption

    func run() throws {
        let files = try source.resolve()
        let query = filters.query(event: event.event)
        var output = StandardOutput()
        if format == .csv { try output.write(line: LogCSV.header) }
        try LogReading.read(files.paths) { record, line in
            guard query.matches(record) else { return }
            switch format {
            case .csv: try output.write(line: LogCSV.row(record))
            case .jsonl: try output.write(line: line)
            }
        }
        try output.flush()
    }
}
