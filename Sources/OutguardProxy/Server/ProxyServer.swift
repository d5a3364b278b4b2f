public import Logging
import NIOCore
import NIOExtras
import NIOHTTP1
import NIOPosix
public import ServiceLifecycle

/// The proxy listener as a service: binds, serves until shutdown, then stops accepting
/// and lets the responses in flight (streams included) finish within the grace period.
public final class ProxyServer: Service {
    private let store: RuntimeStore
    /// The runtime at start: the settings a reload cannot change (address, threads,
    /// upstream, grace period) are read from it.
    private let runtime: ProxyRuntime
    private let group: MultiThreadedEventLoopGroup
    private let logger: Logger
    /// Called with the bound host and port once the listener accepts connections.
    private let onListening: @Sendable (_ host: String, _ port: Int) -> Void

    public init(
        store: RuntimeStore, logger: Logger,
        onListening: @escaping @Sendable (_ host: String, _ port: Int) -> Void = { _, _ in }
    ) {
        self.store = store
        runtime = store.current
        self.logger = logger
        self.onListening = onListening
        group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, runtime.config.workers))
    }

    public func run() async throws {
        do {
            try await serve()
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
        // Only now: the quiescing helper of `serve` is gone, and its deinit resolves a
        // promise on this group, which must still be running then.
        try await group.shutdownGracefully()
    }

    /// Binds, serves until shutdown, then waits (within the grace period) for the
    /// connections to finish their responses.
    private func serve() async throws {
        let quiesce = ServerQuiescingHelper(group: group)
        let loops = LoopServices.Table(group: group, runtime: runtime)
        let (runtime, store) = (self.runtime, self.store)
        let decoderLimits = HeaderRules.decoderLimits(maxHeaderBytes: runtime.config.limits.maxHeaderBytes)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiesce.makeServerChannelHandler(channel: channel))
                }
            }
            // A TCP-level option: `.socketOption(.tcp_nodelay)` would set SOL_SOCKET option 1,
            // SO_DEBUG, which fails without CAP_NET_ADMIN and so closed every connection of a
            // daemon not running as root.
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    // Outbound validation is off: every header written was parsed (and so
                    // checked) by NIO's decoder, or is Outguard's own.
                    try sync.configureHTTPServerPipeline(
                        withPipeliningAssistance: false, withErrorHandling: false,
                        withOutboundHeaderValidation: false, withEncoderConfiguration: .init(),
                        withDecoderLimitConfiguration: decoderLimits)
                    try sync.addHandler(RequestSequencer())
                    try sync.addHandler(BadHTTPResponder())
                    try sync.addHandler(ProxyHandler(store: store, loop: loops[channel.eventLoop]))
                }
            }
            .bind(host: runtime.config.listen.host, port: runtime.config.listen.port)
            .get()
        if let address = channel.localAddress {
            onListening(address.ipAddress ?? runtime.config.listen.host, address.port ?? runtime.config.listen.port)
        }
        logger.debug(
            "listening",
            metadata: [
                "address": "\(channel.localAddress.map { "\($0)" } ?? "?")", "upstream": "\(runtime.config.upstream)",
                "policies": "\(runtime.policies.keys.sorted().joined(separator: ","))",
            ])

        try? await gracefulShutdown()

        logger.info("shutting down: no new connections, finishing responses in flight")
        let done = group.next().makePromise(of: Void.self)
        quiesce.initiateShutdown(promise: done)
        let grace = TimeAmount.milliseconds(Int64(runtime.config.timeouts.shutdownGraceMs))
        let timeout = group.next().scheduleTask(in: grace) { done.fail(ShutdownTimeout()) }
        do {
            try await done.futureResult.get()
        } catch {
            logger.warning("grace period over: closing the connections still open")
        }
        timeout.cancel()
    }
}

private struct ShutdownTimeout: Error {}

/// What the connections of one event loop share: its upstream (a keep-alive pool that
/// lives on the loop) and the watch over its responses' deadlines. Made once per loop
/// and used only there.
struct LoopServices {
    let upstream: any Upstream
    let deadlines: DeadlineWatch<Exchange>

    /// The services of every loop of `group`.
    final class Table: Sendable {
        private let services: [ObjectIdentifier: NIOLoopBoundBox<LoopServices>]

        init(group: MultiThreadedEventLoopGroup, runtime: ProxyRuntime) {
            var services: [ObjectIdentifier: NIOLoopBoundBox<LoopServices>] = [:]
            for loop in group.makeIterator() {
                let loopServices = LoopServices(
                    upstream: Self.makeUpstream(on: loop, runtime: runtime), deadlines: DeadlineWatch(loop: loop))
                services[ObjectIdentifier(loop)] = .makeBoxSendingValue(loopServices, eventLoop: loop)
            }
            self.services = services
        }

        private static func makeUpstream(on loop: any EventLoop, runtime: ProxyRuntime) -> any Upstream {
            if let target = runtime.target, let health = runtime.upstreamHealth {
                HTTPUpstream(
                    pool: .upstream(
                        on: loop, target: target, sslContext: runtime.sslContext,
                        maxIdle: runtime.config.limits.maxConnectionsPerUpstreamLoop,
                        connectTimeout: runtime.connectTimeout, maxHeaderBytes: runtime.config.limits.maxHeaderBytes,
                        health: health),
                    target: target)
            } else {
                MockEchoUpstream(eventLoop: loop)
            }
        }

        /// The services of `loop`; call on that loop.
        subscript(loop: any EventLoop) -> LoopServices {
            services[ObjectIdentifier(loop)]!.value
        }
    }
}
