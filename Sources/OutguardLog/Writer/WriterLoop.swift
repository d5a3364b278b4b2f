import Foundation
import Logging

/// The writer thread's work: takes every queued line at once, writes them with one
/// `write(2)` (more only where the file rotates, which happens between blocks), fsyncs
/// every `flush_ms`, and counts the records the disk refused.
///
/// A failing disk never stops the loop: the batch's records are counted as lost, the first
/// failure is reported, and the next batch tries to open the file again.
struct WriterLoop<Record: JSONLineEncodable> {
    private let queue: WriterQueue<Record>
    private var file: RotatingFile
    private let flushInterval: TimeInterval
    private let logger: Logger
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
        var batch = QueuedLines()
        var isLast = false
        var nextSync = Date() + flushInterval
        while !isLast {
            // Once a flush interval (sooner when a batch is ready, or on close) what waits
            // is written; what is written is fsynced once a flush interval and on close, so a
            // crash loses at most `flush_ms` of records.
            isLast = queue.take(into: &batch, deadline: nextSync)
            write(batch)
            batch.removeAll()
            if isLast || Date() >= nextSync {
                sync()
                nextSync = Date() + flushInterval
            }
        }
        file.closeFile()
        queue.finish()
    }

    private mutating func write(_ batch: QueuedLines) {
        guard !batch.isEmpty else { return }
        let ends = batch.blockEnds
        var next = 0
        do throws(FileError) {
            while next < ends.count {
                try file.openIfNeeded()
                let start = batch.start(of: next)
                var end = next
                while end < ends.count, file.fits(ends[end] - start) { end += 1 }
                if end == next, !file.isEmpty {
                    if rotate() { continue }
                    // The file cannot rotate: it grows past `max_bytes` rather than lose records.
                    end = ends.count
                }
                // A block longer than `max_bytes` gets a file of its own.
                end = max(end, next + 1)
                try file.append(batch.bytes[start..<ends[end - 1]])
                unsynced += batch.blockCounts[next..<end].reduce(0, +)
                next = end
            }
        } catch {
            // Lines the failed write completed are in the file; the rest of the batch is lost.
            let completed = Self.completedLines(of: batch, from: next, reaching: error.bytesWritten)
            unsynced += completed
            queue.settle(written: 0, lost: batch.blockCounts[next...].reduce(0, +) - completed, failure: error)
            report(error, Self.losing)
        }
    }

    /// The lines from block `next` on that a write which stopped after `written` bytes
    /// completed: every record is one line, so they are the newlines it wrote.
    private static func completedLines(of batch: QueuedLines, from next: Int, reaching written: Int) -> Int {
        let start = batch.start(of: next)
        return batch.bytes[start..<(start + written)].count(where: { $0 == UInt8(ascii: "\n") })
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
