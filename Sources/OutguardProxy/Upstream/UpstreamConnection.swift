import NIOCore
import NIOHTTP1
import OutguardConnections

/// One keep-alive HTTP/1.1 connection to the upstream, owned by the pool of its event
/// loop. It serves one request at a time and hands the response to that request's
/// delegate.
final class UpstreamConnection: PooledConnection {
    let channel: any Channel
    private let handler: UpstreamResponseHandler

    /// The connection of a channel whose pipeline ends in an `UpstreamResponseHandler`.
    init(channel: any Channel) throws {
        self.channel = channel
        handler = try channel.pipeline.syncOperations.handler(type: UpstreamResponseHandler.self)
    }

    var isReusable: Bool { channel.isActive && handler.isIdle && handler.keepAlive }

    /// Sends `head` and `body`; the response goes to `delegate`.
    func send(_ head: HTTPRequestHead, body: ByteBuffer?, to delegate: any UpstreamResponseDelegate) {
        handler.start(delegate: delegate)
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        if let body, body.readableBytes > 0 {
            channel.write(HTTPClientRequestPart.body(.byteBuffer(body)), promise: nil)
        }
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
    }

    /// Stops reading from the upstream while the client cannot take more (backpressure).
    func setReading(_ reading: Bool) {
        channel.setOption(ChannelOptions.autoRead, value: reading).whenComplete { _ in }
        if reading { channel.read() }
    }

    /// Drops the connection (client gone, response cut short): it is never reused.
    func abandon() {
        handler.detach()
        channel.close(promise: nil)
    }
}

/// The last handler of an upstream connection's pipeline: passes response parts to the
/// current delegate and notices when the connection can serve another request.
final class UpstreamResponseHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    // Held strongly until the response ends, fails or is abandoned; then cleared.
    private var delegate: (any UpstreamResponseDelegate)?
    private(set) var isIdle = true
    private(set) var keepAlive = true

    func start(delegate: any UpstreamResponseDelegate) {
        self.delegate = delegate
        isIdle = false
    }

    func detach() {
        delegate = nil
        keepAlive = false
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            keepAlive = head.isKeepAlive
            delegate?.upstreamHead(head)
        case .body(let body):
            delegate?.upstreamBody(body)
        case .end:
            let delegate = self.delegate
            self.delegate = nil
            isIdle = true
            delegate?.upstreamEnd()
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        delegate?.upstreamReadComplete()
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        keepAlive = false
        fail(.broken("the upstream closed the connection"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        keepAlive = false
        fail(.broken(String(describing: error)))
        context.close(promise: nil)
    }

    private func fail(_ error: UpstreamError) {
        guard let delegate else { return }
        self.delegate = nil
        delegate.upstreamFailed(error)
    }
}
