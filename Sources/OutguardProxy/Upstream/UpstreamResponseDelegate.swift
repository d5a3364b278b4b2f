import NIOCore
import NIOHTTP1

/// Receives one upstream response, part by part, on the event loop of the client's
/// connection (the upstream connection lives on the same loop).
protocol UpstreamResponseDelegate: AnyObject {
    func upstreamHead(_ head: HTTPResponseHead)
    func upstreamBody(_ body: ByteBuffer)
    func upstreamEnd()
    /// A read of the upstream connection is over: what its parts produced for the
    /// client goes out in one write (the head of a stream and its first events, say).
    /// Not called after `upstreamEnd`, which sends everything itself.
    func upstreamReadComplete()
    func upstreamFailed(_ error: UpstreamError)
}

/// Why no (complete) response came from the upstream.
enum UpstreamError: Error, Sendable {
    /// It could not be reached: 502.
    case unreachable(String)
    /// No response head within `timeouts.response_ms`: 504.
    case timeout
    /// The connection closed or broke in the middle of the response.
    case broken(String)

    var status: HTTPResponseStatus {
        switch self {
        case .timeout: .gatewayTimeout
        default: .badGateway
        }
    }

    var message: String {
        switch self {
        case .unreachable(let reason): "The upstream could not be reached: \(reason)"
        case .timeout: "The upstream did not answer in time."
        case .broken(let reason): "The upstream connection broke: \(reason)"
        }
    }
}
