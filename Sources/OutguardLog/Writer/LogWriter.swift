import Foundation
public import Logging
public import ServiceLifecycle

/// Writes records to a JSONL file without ever making the caller wait for the disk: the
/// violation log (`LogWriter<LogRecord>`) and the capture file
/// (`LogWriter<CapturedResponse>`) are two of these.
///
/// `submit` encodes the records on the caller's thread and appends them to a bounded
/// queue under a short lock, so event loops can call it; a dedicated thread (not the Swift
/// concurrency pool, which a slow disk must not starve) writes the queued records in
/// batches, fsyncs every `flush_ms` and rotates the file by size. A record is lost only
/// when the disk refuses it, and `stats` counts that.
///
/// As a swift-service-lifecycle `Service` it drains on graceful shutdown: list it before
/// the services that submit to it, since a `ServiceGroup` stops services in reverse order.
public final class LogWriter<Record: JSONLineEncodable>: Service, Sendable {
    private let queue: WriterQueue<Record>

    /// Starts the writer thread; the file is opened (and its folder made) with the first
    /// batch. `logger` gets the first failure of the disk, once.
    public init(_ settings: LogFileSettings, logger: Logger = Logger(label: "outguard.log")) {
        let queue = WriterQueue<Record>(capacity: settings.queueSize)
        self.queue = queue
        let thread = Thread {
            var loop = WriterLoop(queue: queue, settings: settings, logger: logger)
            loop.run()
        }
        thread.name = "outguard-log"
        thread.start()
    }

    /// Without a `close`, the thread still drains the queue and ends.
    deinit {
        queue.close(resuming: nil)
    }

    /// Queues `record` for the file. `false` when the queue is full (`queue_size`) or the
    /// writer is closed: the record is dropped and counted, the caller goes on.
    @discardableResult
    public func submit(_ record: Record) -> Bool {
        queue.push(LogLines(record))
    }

    /// Queues records encoded together (a response's), all or none, as `submit(_:)` does one.
    @discardableResult
    public func submit(_ lines: LogLines<Record>) -> Bool {
        lines.count == 0 || queue.push(lines)
    }

    /// The counters so far; cheap enough for every metrics scrape.
    public var stats: LogWriterStats {
        queue.snapshot
    }

    /// Refuses new records, and returns once every record accepted before is written and
    /// fsynced (or counted as lost).
    public func close() async {
        await withCheckedContinuation { queue.close(resuming: $0) }
    }

    /// Waits for graceful shutdown (or cancellation), then closes: an accepted record is
    /// on disk after a clean shutdown.
    public func run() async throws {
        // Cancelled or shut down gracefully, the queue is drained the same way.
        try? await gracefulShutdown()
        await close()
    }

    /// Holds the writer thread between batches, so tests can fill the queue.
    func setPaused(_ paused: Bool) {
        queue.setPaused(paused)
    }
}
