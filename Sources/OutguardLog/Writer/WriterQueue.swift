import Foundation

/// The bounded queue between the threads that submit records and the one writer thread,
/// and the writer's counters.
///
/// Submitting holds the lock for a copy of bytes and a count, never for I/O or encoding
/// (the records come encoded, as `LogLines`), so an event loop never waits on the disk:
/// the writer takes all waiting lines at once by swapping buffers, and both keep their
/// storage from batch to batch. Its capacity and counters are in records, not in blocks.
///
/// The writer is not woken per record: it comes by once a flush interval, and is called
/// early only when a batch is worth writing (`batchBytes`) or the queue is half full. A
/// wake-up per response cost a futex call and a context switch each, which on two busy
/// cores halved the proxy's throughput; a wake-up per flush interval let a busy proxy's
/// batch grow to megabytes, and the queue keeps the storage of its largest batch. Writing
/// every 256 KiB keeps that small; throughput measured the same either way.
final class WriterQueue<Record: JSONLineEncodable>: @unchecked Sendable {
    // Everything below is guarded by `condition`'s lock (hence `@unchecked Sendable`).
    private let condition = NSCondition()
    private let capacity: Int
    /// The queue length at which the writer is called before its interval is up.
    private let highWater: Int
    /// The queued bytes at which the writer is called before its interval is up: small
    /// enough that the queue's storage stays small, large enough that the call is rare (a
    /// few dozen times a second with every response of a busy proxy logged).
    static var batchBytes: Int { 256 * 1024 }
    private var pending = QueuedLines()
    private var stats = LogWriterStats()
    private var isClosing = false
    private var isFinished = false
    /// Tests hold the writer still to fill the queue.
    private var isPaused = false
    private var closeWaiters: [CheckedContinuation<Void, Never>] = []

    init(capacity: Int) {
        precondition(capacity > 0, "a log queue needs room for one record")
        self.capacity = capacity
        highWater = max(1, capacity / 2)
    }

    var snapshot: LogWriterStats {
        condition.withLock {
            var stats = stats
            stats.queueDepth = pending.count
            return stats
        }
    }

    /// Queues `lines`, all of them or none: `false` (and their records counted as dropped)
    /// when they do not fit or the queue is closed. An empty queue takes any block, so a
    /// response with more findings than `queue_size` is still logged.
    func push(_ lines: LogLines<Record>) -> Bool {
        condition.withLock {
            guard !isClosing, pending.count == 0 || pending.count + lines.count <= capacity else {
                stats.dropped += lines.count
                return false
            }
            let wasWaiting = !isBatchReady
            pending.append(lines)
            stats.submitted += lines.count
            if wasWaiting, isBatchReady { condition.broadcast() }
            return true
        }
    }

    /// For the writer: waits until `deadline`, a batch is ready or the queue is closed, then moves
    /// every queued block into `batch` (which must be empty). Returns `true` when this is
    /// the last batch: the queue is closed and now empty.
    func take(into batch: inout QueuedLines, deadline: Date) -> Bool {
        precondition(batch.isEmpty)
        condition.lock()
        defer { condition.unlock() }
        while !isClosing, !isBatchReady || isPaused {
            guard condition.wait(until: deadline) else { break }
        }
        if !isPaused || isClosing { swap(&pending, &batch) }
        return isClosing
    }

    /// Whether the writer should come before its interval is up. Guarded like `pending`.
    private var isBatchReady: Bool {
        pending.count >= highWater || pending.bytes.count >= Self.batchBytes
    }

    /// For the writer: what became of records it took, and why some were lost. A batch
    /// written in full clears the failure: the disk accepts records again.
    func settle(written: Int, lost: Int, failure: FileError? = nil) {
        condition.withLock {
            stats.written += written
            stats.lost += lost
            if let failure {
                stats.failure = "\(failure)"
            } else if written > 0 {
                stats.failure = nil
            }
        }
    }

    /// Refuses new records and lets the writer drain; `waiter`, if any, resumes once
    /// everything queued is on disk.
    func close(resuming waiter: CheckedContinuation<Void, Never>?) {
        let finished: Bool = condition.withLock {
            isClosing = true
            if !isFinished, let waiter { closeWaiters.append(waiter) }
            condition.broadcast()
            return isFinished
        }
        if finished { waiter?.resume() }
    }

    /// For the writer, after its last batch: resumes everyone waiting in `close`.
    func finish() {
        let waiters: [CheckedContinuation<Void, Never>] = condition.withLock {
            isFinished = true
            defer { closeWaiters = [] }
            return closeWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func setPaused(_ paused: Bool) {
        condition.withLock {
            isPaused = paused
            condition.broadcast()
        }
    }
}
