/// Follows growing log files like `tail -F`: reads each from its start, then keeps
/// reading what the writer appends, and when the writer rotates a file (renames it and
/// starts a new one under the old name) finishes the old file and goes on with the new.
///
/// It polls rather than watching with inotify: a poll every quarter second costs
/// nothing, works on every platform and file system (network mounts included), and is
/// what `tail -F` does too.
public struct LogFollower: Sendable {
    /// What following reports, in order.
    public enum Event: Sendable {
        case record(LogRecord)
        case skipped(SkippedLine)
        /// Every file has been read to its end once: what comes after is new.
        case caughtUp
    }

    public let paths: [String]
    public let pollInterval: Duration

    public init(paths: [String], pollInterval: Duration = .milliseconds(250)) {
        self.paths = paths
        self.pollInterval = pollInterval
    }

    /// Reports records until `shouldStop` says so (checked before every poll) or the
    /// task is cancelled.
    public func follow(until shouldStop: () -> Bool, _ body: (Event) throws -> Void) async throws {
        let files = paths.map(FollowedFile.init(path:))
        var caughtUp = false
        while !shouldStop() {
            for file in files {
                try file.poll { line in
                    switch line.content(file: file.path, detail: .full) {
                    case .record(let record): try body(.record(record))
                    case .skipped(let skipped): try body(.skipped(skipped))
                    case .blank: break
                    }
                }
            }
            if !caughtUp {
                caughtUp = true
                try body(.caughtUp)
            }
            try await Task.sleep(for: pollInterval)
        }
    }
}

/// One followed path and the file currently open under it.
private final class FollowedFile {
    let path: String
    private var reader: LineReader?

    init(path: String) {
        self.path = path
    }

    /// Reads what was appended since the last poll, noticing rotation and truncation.
    func poll(_ body: (LineReader.Line) throws -> Void) throws {
        if reader == nil {
            // Not there (yet): the writer creates it with its first record.
            guard FileIdentity(path: path) != nil else { return }
            reader = try LineReader(path: path)
        }
        guard let current = reader else { return }
        // Look before draining: lines the writer added to the old file before it moved on
        // are read first, then the new file from its start.
        let atPath = FileIdentity(path: path)
        while try current.readChunk(body) > 0 {}
        guard let atPath, let open = current.identity else { return }
        if !atPath.isSameFile(as: open) {
            try current.finish(body)
            reader = try LineReader(path: path)
            try poll(body)
        } else if open.size < current.offset {
            // Truncated in place (copytruncate rotation): start over.
            current.rewind()
            while try current.readChunk(body) > 0 {}
        }
    }
}
