import NIOCore
import NIOHTTP1
import NIOSSL
import OutguardConnections

/// The keep-alive connections to the upstream of one event loop (see `KeepAlivePool`).
typealias UpstreamPool = KeepAlivePool<UpstreamConnection>

extension UpstreamPool {
    /// The pool of `loop`: new connections get the HTTP client handlers with
    /// `limits.max_header_bytes`, and each connect attempt tells `health`.
    static func upstream(
        on loop: any EventLoop, target: UpstreamTarget, sslContext: NIOSSLContext?, maxIdle: Int,
        connectTimeout: TimeAmount, maxHeaderBytes: Int, health: UpstreamHealth
    ) -> UpstreamPool {
        let decoderLimits = HeaderRules.decoderLimits(maxHeaderBytes: maxHeaderBytes)
        return UpstreamPool(
            eventLoop: loop, host: target.host, port: target.port, sslContext: sslContext, maxIdle: maxIdle,
            connectTimeout: connectTimeout,
            addHandlers: { pipeline in
                // Outbound validation is off: every header sent was parsed (and so
                // checked) by NIO's decoder, or is Outguard's own.
                try pipeline.addHTTPClientHandlers(
                    enableOutboundHeaderValidation: false, decoderLimitConfiguration: decoderLimits)
                try pipeline.addHandler(UpstreamResponseHandler())
            },
            makeConnection: UpstreamConnection.init(channel:),
            onConnect: { result in
                switch result {
                case .success: health.connected()
                case .failure(let error): health.failed(error)
                }
            })
    }
}

/// Where the upstream is, read once from the config.
struct UpstreamTarget: Sendable {
    var host: String
    var port: Int
    var useTLS: Bool
    /// Prefix of every upstream path (`http://host/prefix`).
    var basePath: String
    /// The Host header sent upstream.
    var hostHeader: String
}
