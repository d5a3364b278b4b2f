import NIOCore
import NIOHTTP1

/// Hands the proxy one request of a client connection at a time, and closes the
/// connection after its response in flight when the server shuts down.
///
/// NIO's `HTTPServerPipelineHandler` does the same, but it stops reading from the
/// client for every request and starts again when the response ends: two `epoll_ctl`
/// calls per request, 3–4% of the daemon's CPU under load. This handler keeps reading
/// while it answers and holds reads back only once a client has sent its next request
/// early (HTTP pipelining, which LLM clients do not do); then at most one read's worth
/// of requests waits here, in order.
final class RequestSequencer: ChannelDuplexHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// What arrived while a response was due, to be passed on after it.
    private enum Early {
        case part(HTTPServerRequestPart)
        case error(any Error)
    }

    /// Whether a request (or a request the decoder refused) waits for its response's end.
    private var answering = false
    /// Whether a request's head was passed on and its end not yet.
    private var receiving = false
    private var early = CircularBuffer<Early>()
    /// Whether the channel asked to read while requests were waiting here.
    private var readHeld = false
    /// Shutting down: the connection closes after the response to the request under way.
    private var closing = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if answering || !early.isEmpty {
            early.append(.part(part))
            return
        }
        pass(part, context: context)
    }

    private func pass(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        switch part {
        case .head: receiving = true
        case .body: break
        case .end:
            receiving = false
            answering = true
        }
        context.fireChannelRead(wrapInboundOut(part))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Bad HTTP after a request waits its turn, so that its answer cannot cut into a
        // response; any other error (the connection failing) concerns the response under
        // way and goes on at once.
        if error is HTTPParserError && (answering || !early.isEmpty) {
            early.append(.error(error))
            return
        }
        passError(error, context: context)
    }

    private func passError(_ error: any Error, context: ChannelHandlerContext) {
        // Bad HTTP is answered (by `BadHTTPResponder`): nothing after it is passed on
        // before that answer ends.
        if error is HTTPParserError { answering = true }
        context.fireErrorCaught(error)
    }

    func read(context: ChannelHandlerContext) {
        guard early.isEmpty else {
            readHeld = true
            return
        }
        context.read()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head) where closing && !head.isInformational:
            if head.isKeepAlive { head.headers.replaceOrAdd(name: "connection", value: "close") }
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .end:
            answering = false
            guard !closing else {
                let bound = context.loopBound
                context.write(data).flatMap { bound.value.close() }.cascade(to: promise)
                return
            }
            context.write(data, promise: promise)
            passEarly(context: context)
        default:
            context.write(data, promise: promise)
        }
    }

    /// Passes on what waited, up to the next request's end; reads again once nothing waits.
    private func passEarly(context: ChannelHandlerContext) {
        while !answering, let next = early.popFirst() {
            switch next {
            case .part(let part): pass(part, context: context)
            case .error(let error): passError(error, context: context)
            }
        }
        if early.isEmpty && readHeld {
            readHeld = false
            context.read()
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        // No request after the one under way is served.
        closing = true
        early.removeAll()
        if !answering && !receiving { context.close(promise: nil) }
    }
}

extension HTTPResponseHead {
    /// A 1xx head: more heads follow for the same request.
    fileprivate var isInformational: Bool { status.code < 200 }
}
