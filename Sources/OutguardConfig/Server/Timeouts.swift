/// How long the proxy waits, in milliseconds (`timeouts:`).
public struct Timeouts: Sendable, Equatable {
    /// `connect_ms`: to open a connection to the upstream.
    public var connectMs = 5_000
    /// `response_ms`: from sending the request until the upstream's response head.
    public var responseMs = 120_000
    /// `idle_ms`: the longest silence inside a streamed body; models pause while they think.
    public var idleMs = 300_000
    /// `shutdown_grace_ms`: how long requests in flight may finish after SIGTERM.
    public var shutdownGraceMs = 30_000

    public init() {}
}
