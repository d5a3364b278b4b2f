/// Reads the records of log files, one file after the other, in the order given
/// (`LogFiles` puts rotated files in order). The review commands and the review page
/// read through it.
///
/// Files are read in 1 MiB chunks and split into lines in place; each line is decoded
/// straight from those bytes. A line that is not a record is skipped and counted, never
/// fatal: the read returns the skipped lines so that the caller reports them once.
public struct LogReader: Sendable {
    /// How far a read has come, for a progress bar.
    public struct Progress: Sendable, Equatable {
        public let bytesRead: Int64
        public let totalBytes: Int64
    }

    /// How much of each record a read fills in.
    public enum Detail: Sendable {
        /// Every field.
        case full
        /// What `LogSummarizer` counts with: time, event, request id, rule, pack, mode,
        /// model, label and a request's rules; the other fields stay `nil`. About half
        /// the time of a full read, since the texts are most of each line.
        case counting
    }

    public let files: [String]
    public let detail: Detail

    public init(files: [String], detail: Detail = .full) {
        self.files = files
        self.detail = detail
    }

    /// Calls `body` with every record, in file order. Returns the lines that were not records.
    public func read(
        progress: ((Progress) -> Void)? = nil, _ body: (LogRecord) throws -> Void
    ) throws -> SkippedLines {
        try readWithLines(progress: progress) { record, _ in try body(record) }
    }

    /// The same, with each record's line as it is in the file (for passing records on
    /// unchanged, unknown keys included). The bytes are valid only during the call.
    public func readWithLines(
        progress: ((Progress) -> Void)? = nil, _ body: (LogRecord, UnsafeRawBufferPointer) throws -> Void
    ) throws -> SkippedLines {
        let totalBytes = files.reduce(Int64(0)) { $0 + (FileIdentity(path: $1)?.size ?? 0) }
        var bytesRead: Int64 = 0
        var skipped = SkippedLines()
        for path in files {
            let reader = try LineReader(path: path)
            func handle(_ line: LineReader.Line) throws {
                switch line.content(file: path, detail: detail) {
                case .record(let record): try body(record, line.bytes)
                case .skipped(let skippedLine): skipped.append(skippedLine)
                case .blank: break
                }
            }
            while true {
                let count = try reader.readChunk(handle)
                guard count > 0 else { break }
                bytesRead += Int64(count)
                progress?(Progress(bytesRead: bytesRead, totalBytes: max(totalBytes, bytesRead)))
            }
            try reader.finish(handle)
        }
        return skipped
    }
}
