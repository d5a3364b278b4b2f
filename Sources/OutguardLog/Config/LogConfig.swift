/// The violation log's settings (`log:` in `outguard.yaml`). Every value has a default;
/// without a `path` nothing is written.
public struct LogConfig: Sendable, Equatable {
    /// Where violation records go; `nil` writes none.
    public var path: String?
    /// How matched text is held (`match`).
    public var match = MatchPrivacy.masked
    /// The environment variable holding the HMAC key (`hmac_key_env`), read by the config
    /// loader, so the key itself never sits in the file.
    public var hmacKeyEnv = "OUTGUARD_LOG_HMAC_KEY"
    /// The key's bytes when `match` is `hmac` (empty otherwise).
    public var hmacKey: [UInt8] = []
    /// How often written records are fsynced: the most a crash can lose (`flush_ms`).
    public var flushMs = 200
    /// The size at which a file is rotated (`max_bytes`).
    public var maxBytes = 100 << 20
    /// How many rotated files are kept beside the current one: `x.jsonl.1` … `x.jsonl.<keep>`.
    public var keep = 5
    /// Records waiting for the disk before new ones are dropped (`queue_size`).
    public var queueSize = 65_536
    /// The capture file, when configured.
    public var capture: CaptureConfig?

    public init() {}

    /// How the violation log's file is written, when there is one.
    public var violationFile: LogFileSettings? {
        path.map { fileSettings(path: $0, permissions: 0o644) }
    }

    /// How the capture file is written: rotated like the log, readable by its owner only,
    /// since it holds the answers' raw text.
    public var captureFile: LogFileSettings? {
        capture.map { fileSettings(path: $0.path, permissions: 0o600) }
    }

    private func fileSettings(path: String, permissions: UInt16) -> LogFileSettings {
        LogFileSettings(
            path: path, permissions: permissions, maxBytes: maxBytes, keep: keep, flushMs: flushMs,
            queueSize: queueSize)
    }
}
