import NIOCore
import NIOHTTP1

/// Answers a request that is not valid HTTP (or whose head is over
/// `limits.max_header_bytes`) with an error body in OpenAI's shape, the one most
/// clients read, then lets the connection close. NIO's own
/// `HTTPServerProtocolErrorHandler` does the same with an empty body.
final class BadHTTPResponder: ChannelDuplexHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// Whether a response head went out without its end: then no error can be sent.
    private var responding = false

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        if !responding {
            let (status, message) = Self.answer(for: parserError)
            let body = OpenAIError.body(message: message, type: "invalid_request_error", code: "bad_request")
            let headers = HTTPHeaders([
                ("Connection", "close"), ("Content-Type", "application/json"), ("Content-Length", String(body.count)),
            ])
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))),
                promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
        // The decoder closes the connection after this; later handlers may still log it.
        context.fireErrorCaught(error)
    }

    private static func answer(for error: HTTPParserError) -> (HTTPResponseStatus, String) {
        switch error {
        case .headerOverflow:
            (.requestHeaderFieldsTooLarge, "The request's headers are larger than limits.max_header_bytes allows.")
        default:
            (.badRequest, "The request is not valid HTTP/1.1 (\(error)).")
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head) where head.status.code >= 200: responding = true
        case .end: responding = false
        default: break
        }
        context.write(data, promise: promise)
    }
}
