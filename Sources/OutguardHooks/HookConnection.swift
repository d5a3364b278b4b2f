import NIOCore
import NIOHTTP1
import OutguardConnections

/// One keep-alive HTTP/1.1 connection to a hook, owned by the pool of its event loop.
/// It serves one call at a time.
final class HookConnection: PooledConnection {
    /// How a call on the connection ended.
    enum Response {
        case answer(status: Int, body: [UInt8])
        /// The connection failed; `beforeAnswer` when nothing of the answer had arrived
        /// (a kept-alive connection the service closed meanwhile: worth one retry).
        case failed(String, beforeAnswer: Bool)
        case tooLarge
    }

    let channel: any Channel
    private let handler: HookResponseHandler

    /// The connection of a channel whose pipeline ends in a `HookResponseHandler`.
    init(channel: any Channel) throws {
        self.channel = channel
        handler = try channel.pipeline.syncOperations.handler(type: HookResponseHandler.self)
    }

    var isReusable: Bool { channel.isActive && handler.isIdle && handler.keepAlive }

    func send(_ head: HTTPRequestHead, body: ByteBuffer, completion: @escaping (Response) -> Void) {
        handler.start(completion)
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        channel.write(HTTPClientRequestPart.body(.byteBuffer(body)), promise: nil)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
    }

    /// Drops the connection (timed out): it is never reused.
    func abandon() {
        handler.detach()
        channel.close(promise: nil)
    }
}

/// The last handler of a hook connection's pipeline: gathers one answer and hands it to
/// the call waiting for it.
final class HookResponseHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    /// A classifier's answer is a few hundred bytes; anything near this is not one.
    static let maxBodyBytes = 1 << 20

    private var completion: ((HookConnection.Response) -> Void)?
    private var status = 0
    private var body: [UInt8] = []
    private var sawHead = false
    private var tooLarge = false
    private(set) var isIdle = true
    private(set) var keepAlive = true

    func start(_ completion: @escaping (HookConnection.Response) -> Void) {
        self.completion = completion
        isIdle = false
        sawHead = false
        tooLarge = false
        body.removeAll(keepingCapacity: true)
    }

    func detach() {
        completion = nil
        keepAlive = false
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            sawHead = true
            status = Int(head.status.code)
            keepAlive = head.isKeepAlive
        case .body(var buffer):
            guard !tooLarge else { return }
            if body.count + buffer.readableBytes > Self.maxBodyBytes {
                tooLarge = true
                keepAlive = false
                finish(.tooLarge)
                context.close(promise: nil)
                return
            }
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            isIdle = true
            finish(.answer(status: status, body: body))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        keepAlive = false
        finish(.failed("the connection closed", beforeAnswer: !sawHead))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        keepAlive = false
        finish(.failed(String(describing: error), beforeAnswer: !sawHead))
        context.close(promise: nil)
    }

    private func finish(_ response: HookConnection.Response) {
        guard let completion else { return }
        self.completion = nil
        completion(response)
    }
}

/// A hook's idle keep-alive connections on one event loop.
typealias HookConnectionPool = KeepAlivePool<HookConnection>
