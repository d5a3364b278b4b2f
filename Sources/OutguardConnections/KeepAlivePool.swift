public import NIOCore
import NIOPosix
public import NIOSSL

/// A connection a `KeepAlivePool` keeps: its channel, and whether it can serve one more
/// request (alive, its last response complete, keep-alive not refused).
public protocol PooledConnection: AnyObject {
    var channel: any Channel { get }
    var isReusable: Bool { get }
}

/// The idle keep-alive HTTP/1.1 connections to one server on one event loop: the proxy's
/// upstream and each classifier hook have one per loop, so a request made on a loop uses
/// connections of that loop and its response never changes threads. Use it on its loop only.
public final class KeepAlivePool<Connection: PooledConnection> {
    public let eventLoop: any EventLoop
    private let host: String
    private let port: Int
    private let sslContext: NIOSSLContext?
    private let serverName: String?
    private let maxIdle: Int
    private let connectTimeout: TimeAmount
    private let addHandlers: @Sendable (ChannelPipeline.SynchronousOperations) throws -> Void
    private let makeConnection: (any Channel) throws -> Connection
    private let onConnect: (Result<Void, any Error>) -> Void
    private var idle: [Connection] = []
    private var closed = false

    /// - Parameters:
    ///   - sslContext: TLS for `https`; the server's name goes in SNI unless `host` is an address.
    ///   - maxIdle: the most idle connections kept; more are closed when released.
    ///   - addHandlers: the HTTP client handlers of a new connection, after TLS.
    ///   - makeConnection: the pooled connection of a new channel, once connected.
    ///   - onConnect: told how each new connection went (the upstream's health).
    public init(
        eventLoop: any EventLoop, host: String, port: Int, sslContext: NIOSSLContext?, maxIdle: Int,
        connectTimeout: TimeAmount,
        addHandlers: @escaping @Sendable (ChannelPipeline.SynchronousOperations) throws -> Void,
        makeConnection: @escaping (any Channel) throws -> Connection,
        onConnect: @escaping (Result<Void, any Error>) -> Void = { _ in }
    ) {
        self.eventLoop = eventLoop
        self.host = host
        self.port = port
        self.sslContext = sslContext
        serverName = Self.serverName(for: host)
        self.maxIdle = maxIdle
        self.connectTimeout = connectTimeout
        self.addHandlers = addHandlers
        self.makeConnection = makeConnection
        self.onConnect = onConnect
    }

    /// SNI must be a name, not an address (IPv4 digits and dots, or IPv6 with colons).
    public static func serverName(for host: String) -> String? {
        host.contains(":") || host.allSatisfy({ $0.isNumber || $0 == "." }) ? nil : host
    }

    /// Calls `body` with an idle connection that is still alive (`reused`), else a new one.
    public func withConnection(
        _ body: @escaping (Result<(connection: Connection, reused: Bool), any Error>) -> Void
    ) {
        eventLoop.preconditionInEventLoop()
        while let connection = idle.popLast() {
            if connection.isReusable { return body(.success((connection, true))) }
            connection.channel.close(promise: nil)
        }
        let (makeConnection, onConnect) = (self.makeConnection, self.onConnect)
        connect().assumeIsolated().whenComplete { result in
            onConnect(result.map { _ in () })
            body(result.flatMap { channel in Result { (try makeConnection(channel), false) } })
        }
    }

    /// Takes a connection back after a complete response.
    public func release(_ connection: Connection) {
        eventLoop.preconditionInEventLoop()
        if !closed && connection.isReusable && idle.count < maxIdle {
            idle.append(connection)
        } else {
            connection.channel.close(promise: nil)
        }
    }

    /// Closes the idle connections; later releases close theirs.
    public func close() {
        eventLoop.preconditionInEventLoop()
        closed = true
        for connection in idle { connection.channel.close(promise: nil) }
        idle.removeAll()
    }

    private func connect() -> EventLoopFuture<any Channel> {
        let (sslContext, serverName, addHandlers) = (self.sslContext, self.serverName, self.addHandlers)
        return ClientBootstrap(group: eventLoop)
            .connectTimeout(connectTimeout)
            .channelOption(ChannelOptions.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        let tls = try NIOSSLClientHandler(context: sslContext, serverHostname: serverName)
                        try channel.pipeline.syncOperations.addHandler(tls)
                    }
                    try addHandlers(channel.pipeline.syncOperations)
                }
            }
            .connect(host: host, port: port)
    }
}
