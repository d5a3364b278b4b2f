import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The keep-alive connections to the upstream of one event loop. Requests arriving on
/// a loop are sent over connections on the same loop, so a response never changes
/// threads between the upstream and the client.
final class UpstreamPool {
    private let eventLoop: any EventLoop
    private let target: UpstreamTarget
    private let sslContext: NIOSSLContext?
    private let maxIdle: Int
    private let connectTimeout: TimeAmount
    /// `limits.max_header_bytes`: the largest response head accepted.
    private let maxHeaderBytes: Int
    private let health: UpstreamHealth
    private var idle: [UpstreamConnection] = []

    init(
        eventLoop: any EventLoop, target: UpstreamTarget, sslContext: NIOSSLContext?, maxIdle: Int,
        connectTimeout: TimeAmount, maxHeaderBytes: Int, health: UpstreamHealth
    ) {
        self.health = health
        self.eventLoop = eventLoop
        self.target = target
        self.sslContext = sslContext
        self.maxIdle = maxIdle
        self.connectTimeout = connectTimeout
        self.maxHeaderBytes = maxHeaderBytes
    }

    /// Calls `body` with an idle connection if one is alive (`reused`), else a new one.
    func withConnection(_ body: @escaping (Result<(connection: UpstreamConnection, reused: Bool), any Error>) -> Void) {
        eventLoop.preconditionInEventLoop()
        while let connection = idle.popLast() {
            if connection.isReusable { return body(.success((connection, true))) }
            connection.channel.close(promise: nil)
        }
        let health = self.health
        connect().assumeIsolated().whenComplete { result in
            switch result {
            case .success: health.connected()
            case .failure(let error): health.failed(error)
            }
            body(
                result.flatMap { channel in
                    Result {
                        (
                            UpstreamConnection(
                                channel: channel,
                                handler: try channel.pipeline.syncOperations.handler(type: UpstreamResponseHandler.self)
                            ), false
                        )
                    }
                })
        }
    }

    /// Takes a connection back after a complete response.
    func release(_ connection: UpstreamConnection) {
        eventLoop.preconditionInEventLoop()
        if connection.isReusable && idle.count < maxIdle {
            idle.append(connection)
        } else {
            connection.channel.close(promise: nil)
        }
    }

    private func connect() -> EventLoopFuture<any Channel> {
        let (target, sslContext) = (self.target, self.sslContext)
        let decoderLimits = HeaderRules.decoderLimits(maxHeaderBytes: maxHeaderBytes)
        return ClientBootstrap(group: eventLoop)
            .connectTimeout(connectTimeout)
            .channelOption(ChannelOptions.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        let tls = try NIOSSLClientHandler(context: sslContext, serverHostname: target.tlsServerName)
                        try channel.pipeline.syncOperations.addHandler(tls)
                    }
                    // Outbound validation is off: every header sent was parsed (and so
                    // checked) by NIO's decoder, or is Outguard's own.
                    try channel.pipeline.syncOperations.addHTTPClientHandlers(
                        enableOutboundHeaderValidation: false, decoderLimitConfiguration: decoderLimits)
                    try channel.pipeline.syncOperations.addHandler(UpstreamResponseHandler())
                }
            }
            .connect(host: target.host, port: target.port)
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

    /// SNI must be a name, not an address.
    var tlsServerName: String? {
        host.allSatisfy { $0.isNumber || $0 == "." || $0 == ":" } ? nil : host
    }
}
