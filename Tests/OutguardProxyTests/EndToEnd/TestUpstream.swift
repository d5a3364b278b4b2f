import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A request `TestUpstream` received, exactly as the proxy forwarded it.
struct RecordedRequest: Sendable {
    /// Which of the upstream's connections carried it (numbered from 0 as accepted).
    var connection: Int
    var head: HTTPRequestHead
    var body: [UInt8]

    var method: HTTPMethod { head.method }
    var uri: String { head.uri }
    var headers: HTTPHeaders { head.headers }
}

/// A real HTTP/1.1 server on 127.0.0.1 standing in for an LLM API: it answers each
/// request as its responder scripts it, and records every request and every connection,
/// so tests can check what the proxy forwarded and when it hung up.
///
/// Each upstream has an event loop of its own, so that one test writing thousands of
/// one-byte chunks does not hold up the upstreams of the tests running beside it.
final class TestUpstream: Sendable {
    let port: Int
    private let group: MultiThreadedEventLoopGroup
    private let serverChannel: any Channel
    private let recorder: UpstreamRecorder
    /// Whether `stop()` ran: a second call must not touch the loop it shut down.
    private let stopped = Mutex(false)

    private init(group: MultiThreadedEventLoopGroup, serverChannel: any Channel, recorder: UpstreamRecorder) {
        self.group = group
        self.serverChannel = serverChannel
        self.recorder = recorder
        port = serverChannel.localAddress?.port ?? 0
    }

    /// Starts listening on a free loopback port. Call `stop()` when done.
    static func start(_ responder: @escaping @Sendable (RecordedRequest) -> ScriptedResponse) async throws
        -> TestUpstream
    {
        let recorder = UpstreamRecorder(responder: responder)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let bound: any Channel
        do {
            bound = try await bind(group: group, recorder: recorder)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
        return TestUpstream(group: group, serverChannel: bound, recorder: recorder)
    }

    private static func bind(group: MultiThreadedEventLoopGroup, recorder: UpstreamRecorder) async throws -> any Channel
    {
        try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let id = recorder.accepted(channel)
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(
                        ScriptedResponder(recorder: recorder, connection: id))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
    }

    /// Stops listening, closes every connection still open, and ends the event loop.
    /// Calling it again does nothing (a test may stop its upstream before the harness does).
    func stop() async {
        let wasStopped = stopped.withLock { stopped in
            defer { stopped = true }
            return stopped
        }
        guard !wasStopped else { return }
        try? await serverChannel.close()
        for channel in recorder.openChannels { try? await channel.close() }
        try? await group.shutdownGracefully()
    }

    /// Every request received, in order.
    var requests: [RecordedRequest] { recorder.state.withLock { $0.requests } }
    /// Connections accepted so far.
    var acceptedConnections: Int { recorder.state.withLock { $0.accepted } }
    /// Connections closed so far, by either side.
    var closedConnections: Set<Int> { recorder.state.withLock { $0.closed } }
}

/// What `TestUpstream` saw, shared by its connections' handlers.
final class UpstreamRecorder: Sendable {
    /// Requests and connections so far.
    struct State {
        var requests: [RecordedRequest] = []
        var open: [Int: any Channel] = [:]
        var accepted = 0
        var closed: Set<Int> = []
    }

    let responder: @Sendable (RecordedRequest) -> ScriptedResponse
    let state = Mutex(State())

    init(responder: @escaping @Sendable (RecordedRequest) -> ScriptedResponse) { self.responder = responder }

    var openChannels: [any Channel] { state.withLock { Array($0.open.values) } }

    func record(_ request: RecordedRequest) { state.withLock { $0.requests.append(request) } }

    /// Numbers a new connection.
    func accepted(_ channel: any Channel) -> Int {
        state.withLock {
            let id = $0.accepted
            $0.accepted += 1
            $0.open[id] = channel
            return id
        }
    }

    func closed(_ connection: Int) {
        state.withLock {
            $0.open[connection] = nil
            $0.closed.insert(connection)
        }
    }
}

/// Serves one connection of `TestUpstream`: records each request and plays its script.
final class ScriptedResponder: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let recorder: UpstreamRecorder
    private let connection: Int
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(recorder: UpstreamRecorder, connection: Int) {
        self.recorder = recorder
        self.connection = connection
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(let buffer):
            body += buffer.readableBytesView
        case .end:
            guard let head else { return }
            let request = RecordedRequest(connection: connection, head: head, body: body)
            recorder.record(request)
            play(recorder.responder(request), context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        recorder.closed(connection)
        context.fireChannelInactive()
    }

    private func play(_ script: ScriptedResponse, context: ChannelHandlerContext) {
        guard script.sendsHead else {
            if script.ending == .close { context.close(promise: nil) }
            return
        }
        context.eventLoop.assumeIsolated().scheduleTask(in: script.headDelay) {
            let head = HTTPResponseHead(version: .http1_1, status: script.status, headers: script.headers)
            context.writeAndFlush(self.wrapOutboundOut(.head(head)), promise: nil)
            self.write(script, from: 0, context: context)
        }
    }

    /// Writes chunk `index` and the ones after it, each flushed on its own.
    private func write(_ script: ScriptedResponse, from index: Int, context: ChannelHandlerContext) {
        // The peer may have gone, or the test stopped the upstream: nothing more to send.
        guard context.channel.isActive else { return }
        guard let delay = script.chunkDelay else {
            for chunk in script.chunks[index...] { writeChunk(chunk, context: context) }
            return end(script, context: context)
        }
        guard index < script.chunks.count else { return end(script, context: context) }
        context.eventLoop.assumeIsolated().scheduleTask(in: delay) {
            self.writeChunk(script.chunks[index], context: context)
            self.write(script, from: index + 1, context: context)
        }
    }

    private func writeChunk(_ chunk: [UInt8], context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: chunk)))), promise: nil)
    }

    private func end(_ script: ScriptedResponse, context: ChannelHandlerContext) {
        switch script.ending {
        case .complete: context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        case .hang: break
        case .close: context.close(promise: nil)
        }
    }
}
