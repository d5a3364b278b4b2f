import Foundation
import Logging
import Synchronization

@testable import OutguardLog

/// A temporary folder for one test's log files, removed when the test is done.
final class TemporaryFolder {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("outguard-log-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        // A test may have made it read-only.
        _ = try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        try? FileManager.default.removeItem(atPath: path)
    }

    func file(_ name: String) -> String { "\(path)/\(name)" }

    /// The names in the folder, sorted.
    func names() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }
}

/// The lines of a JSONL file, without their newlines.
func lines(of path: String) throws -> [String] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        .dropLast().map(String.init)
}

/// The `request_id`s of a log file's lines, in order.
func requestIDs(in path: String) throws -> [String] {
    try lines(of: path).map { try decodeRecord(Data($0.utf8)).requestID ?? "" }
}

/// Reads a line back the way a reader of the log does: `JSONDecoder`, with `ts` parsed by
/// Foundation's ISO 8601 parser and kept to whole milliseconds, as written.
func decodeRecord<Value: Decodable>(_ line: Data, as _: Value.Type = LogRecord.self) throws -> Value {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .custom { decoder in
        let text = try decoder.singleValueContainer().decode(String.self)
        let parsed = try Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
        return Date(timeIntervalSince1970: (parsed.timeIntervalSince1970 * 1000).rounded() / 1000)
    }
    return try decoder.decode(Value.self, from: line)
}

/// The size of the file at `path` in bytes; 0 when there is none yet.
func fileSize(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
}

/// Waits (briefly) until `condition` holds; false when it never does.
func eventually(_ condition: () -> Bool) async throws -> Bool {
    for _ in 0..<1_000 {
        if condition() { return true }
        try await Task.sleep(for: .milliseconds(5))
    }
    return condition()
}

/// The settings of a test's log file: small and quick unless told otherwise.
func fileSettings(
    _ path: String, permissions: UInt16 = 0o644, maxBytes: Int = 1 << 20, keep: Int = 5, flushMs: Int = 10,
    queueSize: Int = 4096
) -> LogFileSettings {
    LogFileSettings(
        path: path, permissions: permissions, maxBytes: maxBytes, keep: keep, flushMs: flushMs, queueSize: queueSize)
}

/// A violation with the given request id.
func violation(_ requestID: String) -> LogRecord {
    var record = LogRecord(ts: Date(timeIntervalSince1970: 1_795_935_600.123), event: .violation)
    record.requestID = requestID
    record.rule = "pii.email"
    return record
}

/// The messages a `Logger` was given, for tests that check what is reported.
final class RecordedMessages: Sendable {
    private let messages = Mutex<[String]>([])

    var all: [String] { messages.withLock { $0 } }

    var logger: Logger {
        Logger(label: "test") { _ in Handler(recorded: self) }
    }

    private struct Handler: LogHandler {
        let recorded: RecordedMessages
        var metadata: Logger.Metadata = [:]
        var logLevel = Logger.Level.trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            recorded.messages.withLock { $0.append("\(event.level): \(event.message)") }
        }
    }
}

/// `violations.jsonl` in a fresh temporary folder, and a writer on it.
struct LogFixture {
    let folder: TemporaryFolder
    let path: String
    let writer: LogWriter<LogRecord>

    /// A `paused` writer takes no batch until the test lets it.
    init(
        maxBytes: Int = 1 << 20, keep: Int = 5, flushMs: Int = 10, queueSize: Int = 4096, paused: Bool = false,
        logger: Logger = Logger(label: "test")
    ) throws {
        folder = try TemporaryFolder()
        path = folder.file("violations.jsonl")
        let settings = fileSettings(path, maxBytes: maxBytes, keep: keep, flushMs: flushMs, queueSize: queueSize)
        writer = LogWriter(settings, logger: logger)
        writer.setPaused(paused)
    }

    /// Submits a violation for each id, then closes the writer.
    func write(_ requestIDs: [String]) async {
        for id in requestIDs { writer.submit(violation(id)) }
        await writer.close()
    }
}
