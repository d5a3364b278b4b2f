import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A hook's idle keep-alive connections on one event loop. A call made on a loop uses
/// connections of that loop, so the caller's future never changes threads.
final class HookConnectionPool {
    private let eventLoop: any EventLoop
    private let endpoint: HookEndpoint
    private let sslContext: NIOSSLContext?
    private let maxIdle: Int
    private let connectTimeout: TimeAmount
    private var idle: [HookConnection] = []
    private var closed = false

    init(
        eventLoop: any EventLoop, endpoint: HookEndpoint, sslContext: NIOSSLContext?, maxIdle: Int,
        connectTimeout: TimeAmount
    ) {
        self.eventLoop = eventLoop
        self.endpoint = endpoint
        self.sslContext = sslContext
        self.maxIdle = maxIdle
        self.connectTimeout = connectTimeout
    }

    /// Calls `body` with an idle connection that is still alive (`reused`), else a new one.
    func withConnection(_ body: @escaping (Result<(connection: HookConnection, reused: Bool), any Error>) -> Void) {
        eventLoop.preconditionInEventLoop()
        while let connection = idle.popLast() {
            if connection.isReusable { return body(.success((connection, true))) }
            connection.channel.close(promise: nil)
        }
        connect().assumeIsolated().whenComplete { result in
            body(
                result.flatMap { channel in
                    Result {
                        let handler = try channel.pipeline.syncOperations.handler(type: HookResponseHandler.self)
                        return (HookConnection(channel: channel, handler: handler), false)
                    }
                })
        }
    }

    /// Takes a connection back after a complete answer.
    func release(_ connection: HookConnection) {
        eventLoop.preconditionInEventLoop()
        if !closed && connection.isReusable && idle.count < maxIdle {
            idle.append(connection)
        } else {
            connection.channel.close(promise: nil)
        }
    }

    /// Closes the idle connections; later releases close theirs.
    func close() {
        eventLoop.preconditionInEventLoop()
        closed = true
        for connection in idle { connection.channel.close(promise: nil) }
        idle.removeAll()
    }

    private func connect() -> EventLoopFuture<any Channel> {
        let (endpoint, sslContext) = (self.endpoint, self.sslContext)
        return ClientBootstrap(group: eventLoop)
            .connectTimeout(connectTimeout)
            .channelOption(ChannelOptions.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        let tls = try NIOSSLClientHandler(context: sslContext, serverHostname: endpoint.tlsServerName)
                        try channel.pipeline.syncOperations.addHandler(tls)
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(HookResponseHandler())
                }
            }
            .connect(host: endpoint.host, port: endpoint.port)
    }
}
