/// How one `LogWriter` writes its file: where, with which permissions, when it rotates,
/// how often it fsyncs, and how many records may wait.
public struct LogFileSettings: Sendable, Equatable {
    public var path: String
    /// The file's mode when it is created (and the most it may have when it exists).
    public var permissions: UInt16
    public var maxBytes: Int
    public var keep: Int
    public var flushMs: Int
    public var queueSize: Int

    public init(path: String, permissions: UInt16, maxBytes: Int, keep: Int, flushMs: Int, queueSize: Int) {
        self.path = path
        self.permissions = permissions
        self.maxBytes = maxBytes
        self.keep = keep
        self.flushMs = flushMs
        self.queueSize = queueSize
    }
}
