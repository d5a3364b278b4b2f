import ArgumentParser
import OutguardLog

/// `outguard logs tail`: the last records, and with -f the new ones as they are written.
struct LogsTailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Print the last records, one a line; with -f, keep printing new ones.",
        discussion: """
            Examples:
              outguard logs tail -n 50 --rule pii.email
              outguard logs tail -f --mode shadow
            """)

    @Flag(name: .shortAndLong, help: "Keep printing records as they are written, across rotation, until interrupted.")
    var follow = false

    @Option(name: [.customShort("n"), .customLong("lines")], help: "How many records to print first.")
    var count = 10

    @OptionGroup var source: LogFileOptions
    @OptionGroup var filters: LogFilterOptions
    @OptionGroup var event: LogEventOption

    func validate() throws {
        guard count >= 0 else { throw ValidationError("-n \(count): write 0 or more") }
    }

    func run() async throws {
        let files = try source.resolve()
        let query = filters.query(event: event.event)
        var recent = RecentRecords(capacity: count)
        var output = StandardOutput()
        // Following reads the files still being written itself, from their start, so that
        // no record falls between reading and following.
        let settled = follow ? files.paths.filter { !files.livePaths.contains($0) } : files.paths
        try LogReading.read(settled) { record, _ in
            if query.matches(record) { recent.append(record) }
        }
        guard follow else {
            for record in recent.records { try output.write(line: RecordLine.format(record)) }
            try output.flush()
            return
        }
        var caughtUp = false
        try await LogFollower(paths: files.livePaths).follow(until: { false }) { event in
            switch event {
            case .record(let record) where query.matches(record):
                guard caughtUp else { return recent.append(record) }
                try output.write(line: RecordLine.format(record))
                try output.flush()
            case .record:
                break
            case .skipped(let line):
                Terminal.error("outguard: skipped \(line)")
            case .caughtUp:
                caughtUp = true
                for record in recent.records { try output.write(line: RecordLine.format(record)) }
                try output.flush()
            }
        }
    }
}

/// The last `capacity` records appended: a ring, so a tail of a huge log holds only what it prints.
struct RecentRecords {
    private var ring: [LogRecord] = []
    private var next = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    mutating func append(_ record: LogRecord) {
        guard capacity > 0 else { return }
        if ring.count < capacity {
            ring.append(record)
        } else {
            ring[next] = record
        }
        next = (next + 1) % capacity
    }

    /// Oldest first.
    var records: [LogRecord] {
        ring.count < capacity ? ring : Array(ring[next...] + ring[..<next])
    }
}
