import Foundation
import Logging
import ServiceLifecycle
import Testing

@testable import OutguardLog

/// The writer: order, rotation, draining on close, a disk that refuses records, a full
/// queue, and the capture file's permissions.
@Suite struct LogWriterTests {
    @Test func recordsAreWrittenInTheOrderTheyCame() async throws {
        let folder = try TemporaryFolder()
        // The folder is made for the file.
        let path = folder.file("logs/violations.jsonl")
        let writer = LogWriter<LogRecord>(fileSettings(path))
        let ids = (0..<2_000).map { "og-\($0)" }
        for id in ids { #expect(writer.submit(violation(id))) }
        await writer.close()
        #expect(try requestIDs(in: path) == ids)
        var expected = LogWriterStats()
        expected.submitted = 2_000
        expected.written = 2_000
        #expect(writer.stats == expected)
    }

    @Test func recordsFromManyThreadsAreAllWrittenEachInItsOrder() async throws {
        let log = try LogFixture(queueSize: 100_000)
        let writer = log.writer
        await withTaskGroup(of: Void.self) { tasks in
            for task in 0..<4 {
                tasks.addTask {
                    for index in 0..<1_000 { writer.submit(violation("og-\(task)-\(index)")) }
                }
            }
        }
        await writer.close()
        let ids = try requestIDs(in: log.path)
        #expect(ids.count == 4_000)
        for task in 0..<4 {
            #expect(ids.filter { $0.hasPrefix("og-\(task)-") } == (0..<1_000).map { "og-\(task)-\($0)" })
        }
    }

    @Test func recordsAreFsyncedWithinTheFlushIntervalWithoutAClose() async throws {
        let log = try LogFixture(flushMs: 20)
        for index in 0..<3 { log.writer.submit(violation("og-\(index)")) }
        #expect(try await eventually { log.writer.stats.written == 3 })
        log.writer.submit(violation("og-3"))
        #expect(try await eventually { log.writer.stats.written == 4 })
        await log.writer.close()
    }

    @Test func aBusyLogIsWrittenInBatchesBeforeItsFlushIntervalIsUp() async throws {
        // A minute between fsyncs: only a batch's worth of bytes makes the writer come early,
        // and a batch is written without waiting for its fsync.
        let log = try LogFixture(maxBytes: 1 << 30, flushMs: 60_000, queueSize: 100_000)
        let batch = WriterQueue<LogRecord>.batchBytes
        var submitted = 0
        while submitted < batch + batch / 2 {
            var lines = LogLines<LogRecord>()
            lines.append(violation("og-\(submitted)"))
            submitted += lines.bytes.count
            log.writer.submit(lines)
        }
        #expect(try await eventually { fileSize(log.path) >= batch })
        #expect(log.writer.stats.written == 0)
        await log.writer.close()
        #expect(fileSize(log.path) == submitted)
    }

    @Test func aRestartAppendsAndStartsAfterATornLine() async throws {
        let log = try LogFixture()
        // A crash cut the last line short; the writer opens the file with its first batch.
        let torn = #"{"ts":"2026-01-01T00:00:00.000Z","event":"reload"}"# + "\n" + #"{"ts":"20"#
        try Data(torn.utf8).write(to: URL(fileURLWithPath: log.path))
        await log.write(["og-1"])
        let written = try lines(of: log.path)
        #expect(written.count == 3)
        #expect(written[1] == #"{"ts":"20"#)
        #expect(try decodeRecord(Data(written[2].utf8)).requestID == "og-1")
    }

    @Test func filesRotateBySizeKeepingTheNewest() async throws {
        // Same-length ids give same-length lines: ten fit in a file.
        let lineLength = violation("og-00").encodedLine().count
        let log = try LogFixture(maxBytes: 10 * lineLength, keep: 2)
        let ids = (0..<35).map { String(format: "og-%02d", $0) }
        await log.write(Array(ids[..<25]))
        #expect(try log.folder.names() == ["violations.jsonl", "violations.jsonl.1", "violations.jsonl.2"])
        let rotated = try requestIDs(in: log.path + ".2") + requestIDs(in: log.path + ".1")
        #expect(try rotated + requestIDs(in: log.path) == Array(ids[..<25]))
        #expect(try requestIDs(in: log.path + ".2").count == 10)

        // A restart appends; ten more fill the current file and start another: the oldest goes.
        let again = LogWriter<LogRecord>(fileSettings(log.path, maxBytes: 10 * lineLength, keep: 2))
        for id in ids[25...] { again.submit(violation(id)) }
        await again.close()
        #expect(try log.folder.names() == ["violations.jsonl", "violations.jsonl.1", "violations.jsonl.2"])
        #expect(try requestIDs(in: log.path + ".2").first == "og-10")
        #expect(try requestIDs(in: log.path).last == "og-34")
        #expect(again.stats.written == 10)
    }

    /// A response's records are queued as one block: a rotation comes between blocks,
    /// never inside one, so a response is read from one file.
    @Test func aResponsesRecordsStayInOneFile() async throws {
        let lineLength = violation("og-00").encodedLine().count
        let log = try LogFixture(maxBytes: 10 * lineLength, keep: 2)
        for response in 0..<4 {
            var lines = LogLines<LogRecord>()
            for finding in 0..<3 { lines.append(violation("og-\(response)\(finding)")) }
            #expect(log.writer.submit(lines))
        }
        await log.writer.close()
        #expect(try requestIDs(in: log.path + ".1") == ["og-00", "og-01", "og-02", "og-10", "og-11", "og-12", "og-20", "og-21", "og-22"])
        #expect(try requestIDs(in: log.path) == ["og-30", "og-31", "og-32"])
        #expect(log.writer.stats.written == 12)
        #expect(log.writer.stats.submitted == 12)
    }

    /// The queue's size counts records: a block that does not fit is dropped whole, and an
    /// empty queue takes any block.
    @Test func aBlockThatDoesNotFitIsDroppedWhole() async throws {
        let log = try LogFixture(queueSize: 10, paused: true)
        func block(_ count: Int, _ name: String) -> LogLines<LogRecord> {
            var lines = LogLines<LogRecord>()
            for index in 0..<count { lines.append(violation("\(name)-\(index)")) }
            return lines
        }
        #expect(log.writer.submit(block(4, "a")))
        #expect(log.writer.submit(block(4, "b")))
        #expect(!log.writer.submit(block(4, "c")))
        #expect(log.writer.submit(violation("d")))
        #expect(log.writer.submit(LogLines()))
        #expect(log.writer.stats.queueDepth == 9)
        #expect(log.writer.stats.dropped == 4)
        log.writer.setPaused(false)
        await log.writer.close()
        #expect(try requestIDs(in: log.path).count == 9)
        #expect(log.writer.stats.written == 9)

        let small = try LogFixture(queueSize: 2)
        #expect(small.writer.submit(block(5, "big")))
        await small.writer.close()
        #expect(small.writer.stats.written == 5)
    }

    @Test func aLineLongerThanTheLimitGetsAFileOfItsOwn() async throws {
        let log = try LogFixture(maxBytes: 10, keep: 0)
        await log.write(["og-1", "og-2", "og-3"])
        // `keep: 0` keeps no rotated file: only the last line is left.
        #expect(try log.folder.names() == ["violations.jsonl"])
        #expect(try requestIDs(in: log.path) == ["og-3"])
        #expect(log.writer.stats.written == 3)
    }

    @Test func closeWritesEverythingQueued() async throws {
        let log = try LogFixture(flushMs: 60_000, paused: true)
        for index in 0..<500 { log.writer.submit(violation("og-\(index)")) }
        #expect(log.writer.stats.queueDepth == 500)
        #expect(!FileManager.default.fileExists(atPath: log.path))
        await log.writer.close()
        #expect(try requestIDs(in: log.path).count == 500)
        #expect(log.writer.stats.written == 500)
        #expect(log.writer.stats.queueDepth == 0)
        // Closed is closed: a late record is refused, and counted.
        #expect(!log.writer.submit(violation("late")))
        #expect(log.writer.stats.dropped == 1)
    }

    @Test func aFullQueueDropsAndCounts() async throws {
        let log = try LogFixture(queueSize: 10, paused: true)
        let accepted = (0..<15).map { log.writer.submit(violation("og-\($0)")) }
        #expect(accepted == Array(repeating: true, count: 10) + Array(repeating: false, count: 5))
        #expect(log.writer.stats.dropped == 5)
        #expect(log.writer.stats.queueDepth == 10)
        log.writer.setPaused(false)
        #expect(try await eventually { log.writer.stats.queueDepth == 0 })
        await log.write(["og-after"])
        #expect(try requestIDs(in: log.path) == (0..<10).map { "og-\($0)" } + ["og-after"])
        #expect(log.writer.stats.submitted == 11)
    }

    /// `/dev/full` refuses every write with ENOSPC, even for root.
    @Test func aFullDiskLosesRecordsCountsThemAndSaysSoOnce() async throws {
        let messages = RecordedMessages()
        let writer = LogWriter<LogRecord>(fileSettings("/dev/full"), logger: messages.logger)
        writer.submit(violation("og-1"))
        #expect(try await eventually { writer.stats.lost == 1 })
        // The writer keeps going: later batches are taken, and lost too.
        var lines = LogLines<LogRecord>()
        for id in ["og-2", "og-3", "og-4"] { lines.append(violation(id)) }
        writer.submit(lines)
        await writer.close()
        #expect(writer.stats.lost == 4)
        #expect(writer.stats.written == 0)
        #expect(writer.stats.submitted == 4)
        #expect(messages.all.count == 1)
        #expect(messages.all.first?.hasPrefix("error: the log file refuses records") == true)
    }

    /// A path below a regular file cannot be opened, even by root; once the file is gone,
    /// the next batch opens the log.
    @Test func anUnopenableFileIsRetriedWithTheNextBatch() async throws {
        let folder = try TemporaryFolder()
        try Data("not a folder".utf8).write(to: URL(fileURLWithPath: folder.file("blocker")))
        let path = folder.file("blocker/violations.jsonl")
        let messages = RecordedMessages()
        let writer = LogWriter<LogRecord>(fileSettings(path), logger: messages.logger)
        writer.submit(violation("og-1"))
        writer.submit(violation("og-2"))
        #expect(try await eventually { writer.stats.lost == 2 })
        #expect(writer.stats.failure?.contains("blocker") == true, "the log's failure names the file")
        try FileManager.default.removeItem(atPath: folder.file("blocker"))
        writer.submit(violation("og-3"))
        await writer.close()
        #expect(try requestIDs(in: path) == ["og-3"])
        #expect(writer.stats.lost == 2)
        #expect(writer.stats.written == 1)
        #expect(writer.stats.failure == nil, "a written batch clears the failure")
        #expect(messages.all.count == 1)
    }

    /// Root writes to read-only folders anyway; the tests above cover it.
    @Test(.enabled(if: geteuid() != 0)) func aReadOnlyFolderLosesRecords() async throws {
        let log = try LogFixture()
        try FileManager.default.setAttributes([.posixPermissions: 0o500], ofItemAtPath: log.folder.path)
        await log.write(["og-1"])
        #expect(log.writer.stats.lost == 1)
    }

    @Test func theCaptureFileIsReadableByItsOwnerOnly() async throws {
        let folder = try TemporaryFolder()
        var config = LogConfig()
        config.path = folder.file("violations.jsonl")
        config.capture = CaptureConfig(path: folder.file("capture.jsonl"))
        let settings = try #require(config.captureFile)
        #expect(settings.permissions == 0o600)
        #expect(config.violationFile?.permissions == 0o644)

        let response = CapturedResponse(
            requestID: "og-1", policy: "default", ruleset: "sha256:00", provider: "openai.chat", model: "m",
            stream: false, hadFindings: true, segments: [.init(choice: 0, text: "mail taro@example.jp")])
        let writer = LogWriter<CapturedResponse>(settings)
        writer.submit(response)
        await writer.close()
        #expect(try permissions(of: settings.path) == 0o600)
        let line = try #require(try lines(of: settings.path).first)
        #expect(try decodeRecord(Data(line.utf8), as: CapturedResponse.self).segments == response.segments)

        // An older capture file open to others is closed to them.
        let older = folder.file("older.jsonl")
        #expect(FileManager.default.createFile(atPath: older, contents: nil, attributes: [.posixPermissions: 0o644]))
        var olderSettings = settings
        olderSettings.path = older
        let again = LogWriter<CapturedResponse>(olderSettings)
        again.submit(response)
        await again.close()
        #expect(try permissions(of: older) == 0o600)
    }

    @Test func gracefulShutdownDrainsTheQueue() async throws {
        let log = try LogFixture(flushMs: 60_000, paused: true)
        let group = ServiceGroup(services: [log.writer], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            for index in 0..<100 { log.writer.submit(violation("og-\(index)")) }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(try requestIDs(in: log.path).count == 100)
        #expect(log.writer.stats.written == 100)
    }

    private func permissions(of path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }
}
