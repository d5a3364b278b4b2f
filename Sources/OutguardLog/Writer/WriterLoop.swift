import Foundation
import Logging

/// The writer thread's work: takes every queued record at once, encodes the batch into one
/// reused buffer, writes it with one `write(2)` (more only where the file rotates), fsyncs
/// every `flush_ms`, and counts the records the disk refused.
///
/// A failing disk never stops the loop: the batch's records are counted as lost, the first
/// failure is reported, and the next batch tries to open the file again.
struct WriterLoop<Record: JSONLineEncodable> {
    private let queue: WriterQueue<Record>
    private var file: RotatingFile
    private let flushInterval: TimeInterval
    private let logger: Logger
    private var line = JSONLine()
    /// Where each record's line ends in `line.bytes`.
    private var lineEnds: [Int] = []
    /// Records written since the last fsync.
    private var unsynced = 0
    private var hasReportedFailure = false

    init(queue: WriterQueue<Record>, settings: LogFileSettings, logger: Logger) {
        self.queue = queue
        self.file = RotatingFile(settings)
        self.flushInterval = TimeInterval(settings.flushMs) / 1000
        self.logger = logger
    }

    /// Runs until the queue is closed and everything in it is on disk.
    mutating func run() {
        var batch: [Record] = []
        var isLast = false
        while !isLast {
            // Once a flush interval (sooner when the queue fills up, or on close): what
            // waits is written and fsynced, so a crash loses at most `flush_ms` of records.
            isLast = queue.take(into: &batch, deadline: Date() + flushInterval)
            write(batch)
            batch.removeAll(keepingCapacity: true)
            sync()
        }
        file.closeFile()
        queue.finish()
    }

    private mutating func write(_ batch: [Record]) {
        guard !batch.isEmpty else { return }
        line.removeAll()
        lineEnds.removeAll(keepingCapacity: true)
        // By index: `for record in batch` would copy each record, retaining all its strings.
        for index in batch.indices {
            batch[index].encode(into: &line)
            line.newline()
            lineEnds.append(line.bytes.count)
        }
        var next = 0
        do throws(FileError) {
            while next < lineEnds.count {
                try file.openIfNeeded()
                let start = next == 0 ? 0 : lineEnds[next - 1]
                var end = next
                while end < lineEnds.count, file.fits(lineEnds[end] - start) { end += 1 }
                if end == next, !file.isEmpty {
                    if rotate() { continue }
                    // The file cannot rotate: it grows past `max_bytes` rather than lose records.
                    end = lineEnds.count
                }
                // A line longer than `max_bytes` gets a file of its own.
                end = max(end, next + 1)
                try file.append(line.bytes[start..<lineEnds[end - 1]])
                unsynced += end - next
                next = end
            }
        } catch {
            // Lines the failed write completed are in the file; the rest of the batch is lost.
            let reached = (next == 0 ? 0 : lineEnds[next - 1]) + error.bytesWritten
            let completed = lineEnds[next...].prefix { $0 <= reached }.count
            unsynced += completed
            queue.settle(written: 0, lost: lineEnds.count - next - completed, failure: error)
            report(error, Self.losing)
        }
    }

    /// Fsyncs what was written since the last time; only then do records count as written.
    private mutating func sync() {
        guard unsynced > 0 else { return }
        do throws(FileError) {
            try file.sync()
            queue.settle(written: unsynced, lost: 0)
        } catch {
            queue.settle(written: 0, lost: unsynced, failure: error)
            report(error, Self.losing)
        }
        unsynced = 0
    }

    /// Starts a new file, the old one's records made durable first; `false` when it cannot.
    private mutating func rotate() -> Bool {
        sync()
        do throws(FileError) {
            try file.rotate()
            return true
        } catch {
            report(error, "the log file cannot be rotated; it grows past max_bytes until it can")
            return false
        }
    }

    private static var losing: Logger.Message {
        "the log file refuses records; they are counted as lost until it accepts them again"
    }

    /// Said once: a full or read-only disk fails every batch, and the counters tell the rest.
    private mutating func report(_ error: FileError, _ consequence: Logger.Message) {
        guard !hasReportedFailure else { return }
        hasReportedFailure = true
        logger.error(consequence, metadata: ["path": "\(error.path)", "error": "\(error)"])
    }
}
