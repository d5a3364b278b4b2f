import ArgumentParser
import OutguardLog

/// `outguard logs show`: everything the log says about one request.
struct LogsShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print every record of one request, in time order.",
        discussion: """
            The request id is the Outguard-Request-Id header of the response.

            Example:
              outguard logs show og-7f3a9c0d2e4b1a66
            """)

    @Argument(help: "The request's id.")
    var requestID: String

    @OptionGroup var source: LogFileOptions

    func run() throws {
        let files = try source.resolve()
        var found: [LogRecord] = []
        try LogReading.read(files.paths) { record, _ in
            if record.requestID == requestID { found.append(record) }
        }
        guard !found.isEmpty else {
            throw CommandFailure("no record of request \(requestID) in \(files.paths.joined(separator: ", "))")
        }
        // Records of one request can come from several files (feedback sent to another
        // sidecar): time order, and file order among equal times.
        let ordered = found.enumerated().sorted { ($0.element.ts, $0.offset) < ($1.element.ts, $1.offset) }
        for (_, record) in ordered { Terminal.print(RecordLine.format(record)) }
    }
}
