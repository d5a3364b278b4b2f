import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A request a test sends to the proxy.
struct TestRequest: Sendable {
    var method = HTTPMethod.POST
    var uri: String
    var headers = HTTPHeaders()
    var body: [UInt8] = []
}

/// What the proxy answered: head, body bytes and the trailers of a chunked body.
struct TestResponse: Sendable {
    var head: HTTPResponseHead
    var body: [UInt8]
    var trailers: HTTPHeaders?

    var status: HTTPResponseStatus { head.status }
    var headers: HTTPHeaders { head.headers }
    var text: String { String(decoding: body, as: UTF8.self) }
    /// `Outguard-Action`, from the trailers of a stream or the head of anything else.
    var action: String? { trailers?.first(name: "Outguard-Action") ?? headers.first(name: "Outguard-Action") }
}

/// The connection closed before a complete response.
struct ConnectionClosed: Error, CustomStringConvertible {
    var description = "the connection closed before the response ended"
}

/// One HTTP/1.1 client connection (NIO, so trailers and raw bytes are visible; URLSession
/// on Linux shows neither). Requests go one after another over the same connection.
final class TestConnection {
    private var inbound: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>

    private init(
        inbound: NIOAsyncChannelInboundStream<HTTPClientResponsePart>,
        outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>
    ) {
        self.inbound = inbound.makeAsyncIterator()
        self.outbound = outbound
    }

    /// Opens a connection to the proxy, runs `body` with it within `limit`, then closes it.
    static func with<T: Sendable>(
        port: Int, within limit: Duration = .seconds(10), _ body: @escaping @Sendable (TestConnection) async throws -> T
    ) async throws -> T {
        try await Bounded.run("a client connection", within: limit) {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                .connect(host: "127.0.0.1", port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                            wrappingChannelSynchronously: channel)
                    }
                }
            return try await channel.executeThenClose { inbound, outbound in
                try await body(TestConnection(inbound: inbound, outbound: outbound))
            }
        }
    }

    /// Sends `request` and reads the whole response.
    func send(_ request: TestRequest) async throws -> TestResponse {
        try await write(request)
        return try await readResponse(after: readHead())
    }

    /// Sends the request head and body (`Content-Length` and `Host` are added when missing).
    func write(_ request: TestRequest) async throws {
        var headers = request.headers
        if !headers.contains(name: "host") { headers.add(name: "Host", value: "localhost") }
        if !headers.contains(name: "content-length") && (request.method == .POST || !request.body.isEmpty) {
            headers.add(name: "Content-Length", value: String(request.body.count))
        }
        var parts: [HTTPClientRequestPart] = [
            .head(HTTPRequestHead(version: .http1_1, method: request.method, uri: request.uri, headers: headers))
        ]
        if !request.body.isEmpty { parts.append(.body(.byteBuffer(ByteBuffer(bytes: request.body)))) }
        parts.append(.end(nil))
        // One flush: the request leaves in one go, as SDKs send it.
        try await outbound.write(contentsOf: parts)
    }

    /// Reads the head of the next response.
    func readHead() async throws -> HTTPResponseHead {
        guard case .head(let head) = try await inbound.next() else { throw ConnectionClosed() }
        return head
    }

    /// Reads the next piece of a body (as one read of the socket brought it).
    func readBodyPart() async throws -> [UInt8] {
        guard case .body(let buffer) = try await inbound.next() else { throw ConnectionClosed() }
        return Array(buffer.readableBytesView)
    }

    /// Reads the body and trailers that follow `head`.
    func readResponse(after head: HTTPResponseHead) async throws -> TestResponse {
        var body: [UInt8] = []
        while true {
            switch try await inbound.next() {
            case .body(let buffer): body += buffer.readableBytesView
            case .end(let trailers): return TestResponse(head: head, body: body, trailers: trailers)
            case .head, nil: throw ConnectionClosed()
            }
        }
    }
}

/// A TCP client that writes raw bytes and collects whatever comes back until the
/// proxy closes the connection or `limit` has passed.
enum RawClient {
    /// What came back.
    struct Outcome: Sendable {
        var received: [UInt8] = []
        /// The proxy closed the connection (rather than the time running out).
        var closedByProxy = false
        var text: String { String(decoding: received, as: UTF8.self) }
    }

    static func exchange(port: Int, bytes: [UInt8], within limit: Duration = .seconds(2)) async throws -> Outcome {
        let collected = Collected()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Collector(collected: collected))
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()
        try? await channel.writeAndFlush(ByteBuffer(bytes: bytes))
        _ = await Bounded.eventually(within: limit) { collected.outcome.withLock { $0.closedByProxy } }
        let outcome = collected.outcome.withLock { $0 }
        try? await channel.close()
        return outcome
    }

    /// The outcome so far, shared with the connection's handler.
    private final class Collected: Sendable {
        let outcome = Mutex(Outcome())
    }

    /// Collects the bytes and notices the close.
    private final class Collector: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let collected: Collected

        init(collected: Collected) { self.collected = collected }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            collected.outcome.withLock { $0.received += buffer.readableBytesView }
        }

        func channelInactive(context: ChannelHandlerContext) {
            collected.outcome.withLock { $0.closedByProxy = true }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            // A reset counts as closing.
            context.close(promise: nil)
        }
    }
}
