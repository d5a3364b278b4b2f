/// Size limits that keep one client or upstream from exhausting the proxy's memory
/// (`limits:`). Sizes are in bytes.
public struct Limits: Sendable, Equatable {
    /// `max_request_bytes`: the largest request body accepted from a client.
    public var maxRequestBytes = 10 << 20
    /// `max_response_bytes`: the largest non-streamed upstream body; a non-streamed body
    /// is buffered whole before it is filtered.
    public var maxResponseBytes = 50 << 20
    /// `max_header_bytes`: the largest request or response head.
    public var maxHeaderBytes = 64 << 10
    /// `upstream_connections`: idle keep-alive connections to the upstream kept per event loop.
    public var maxConnectionsPerUpstreamLoop = 256

    public init() {}
}
