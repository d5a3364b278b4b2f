/// What a `LogWriter` has done with the records given to it, for metrics and `/readyz`.
/// After `close()`, `submitted == written + lost`.
public struct LogWriterStats: Sendable, Equatable {
    /// Records accepted into the queue.
    public var submitted = 0
    /// Records on disk: written and fsynced (written, for files that cannot be fsynced,
    /// like a pipe).
    public var written = 0
    /// Records refused because the queue was full or the writer was closed.
    public var dropped = 0
    /// Records accepted but refused by the disk (open, write or fsync failed).
    public var lost = 0
    /// Records waiting in the queue.
    public var queueDepth = 0
    /// Why the disk refused the last records, until it accepts a batch again: while this
    /// is set the log is not writable (`/readyz`).
    public var failure: String?

    public init() {}
}
