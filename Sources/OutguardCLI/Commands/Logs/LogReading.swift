import OutguardLog

/// How the `logs` commands read: a progress bar for long reads, and the lines that were
/// not records reported once, at the end, on standard error.
enum LogReading {
    /// Calls `body` with every record of `paths` and its line as written (valid during the call).
    static func read(
        _ paths: [String], detail: LogReader.Detail = .full, _ body: (LogRecord, UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let bar = ProgressBar()
        let skipped: SkippedLines
        do {
            defer { bar.finish() }
            skipped = try LogReader(files: paths, detail: detail).readWithLines(progress: bar.update, body)
        }
        if skipped.count > 0 { Terminal.error("outguard: \(skipped)") }
    }
}
