import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// An HTTP/1.1 server on 127.0.0.1 that answers as its script says (scores, a delay,
/// garbage, an error status, a closed connection) and records what it was sent.
final class ScriptedServer: Sendable {
    enum Reply: Sendable {
        case respond(status: Int = 200, body: String, delay: TimeAmount = .zero)
        /// Closes the connection without answering.
        case close
    }

    struct Request: Sendable {
        var head: HTTPRequestHead
        var body: String
    }

    struct Stats: Sendable {
        var requests: [Request] = []
        var connections = 0
        var busy = 0
        var peakBusy = 0
    }

    let port: Int
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let script: NIOLockedValueBox<@Sendable (Request) -> Reply>
    let stats: NIOLockedValueBox<Stats>

    init(_ script: @escaping @Sendable (Request) -> Reply) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let script = NIOLockedValueBox(script)
        let stats = NIOLockedValueBox(Stats())
        channel = try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                stats.withLockedValue { $0.connections += 1 }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(ScriptedHandler(script: script, stats: stats))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress!.port!
        self.group = group
        self.script = script
        self.stats = stats
    }

    func url(_ path: String = "/v1/classify") -> String { "http://127.0.0.1:\(port)\(path)" }

    func setScript(_ script: @escaping @Sendable (Request) -> Reply) {
        self.script.withLockedValue { $0 = script }
    }

    var requests: [Request] { stats.withLockedValue(\.requests) }

    func shutdown() async throws {
        try await channel.close()
        try await group.shutdownGracefully()
    }
}

private final class ScriptedHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let script: NIOLockedValueBox<@Sendable (ScriptedServer.Request) -> ScriptedServer.Reply>
    private let stats: NIOLockedValueBox<ScriptedServer.Stats>
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(
        script: NIOLockedValueBox<@Sendable (ScriptedServer.Request) -> ScriptedServer.Reply>,
        stats: NIOLockedValueBox<ScriptedServer.Stats>
    ) {
        self.script = script
        self.stats = stats
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            let request = ScriptedServer.Request(head: head!, body: String(decoding: body, as: UTF8.self))
            stats.withLockedValue {
                $0.requests.append(request)
                $0.busy += 1
                $0.peakBusy = max($0.peakBusy, $0.busy)
            }
            let reply = script.withLockedValue { $0 }(request)
            switch reply {
            case .close:
                stats.withLockedValue { $0.busy -= 1 }
                context.close(promise: nil)
            case .respond(let status, let text, let delay):
                let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                context.eventLoop.scheduleTask(in: delay) {
                    let (handler, context) = bound.value
                    handler.respond(context: context, status: status, text: text)
                }
            }
        }
    }

    private func respond(context: ChannelHandlerContext, status: Int, text: String) {
        stats.withLockedValue { $0.busy -= 1 }
        guard context.channel.isActive else { return }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: String(text.utf8.count))
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: text)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}
