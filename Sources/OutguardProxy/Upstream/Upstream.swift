import NIOCore
import NIOHTTP1

/// Where requests are sent: the configured HTTP server, or the built-in mock.
protocol Upstream {
    /// Sends the exchange's request; the response goes to `delegate`.
    func send(_ exchange: Exchange, to delegate: any UpstreamResponseDelegate)
}

/// The configured HTTP(S) upstream, through the connection pool of the event loop.
struct HTTPUpstream: Upstream {
    let pool: UpstreamPool
    let target: UpstreamTarget

    func send(_ exchange: Exchange, to delegate: any UpstreamResponseDelegate) {
        let head = HeaderRules.upstreamRequest(
            exchange.head, target: target, bodyLength: exchange.requestBody.readableBytes,
            requestID: exchange.requestID, filtered: exchange.provider != nil)
        attempt(head, exchange: exchange, delegate: delegate, retry: true)
    }

    fileprivate func attempt(
        _ head: HTTPRequestHead, exchange: Exchange, delegate: any UpstreamResponseDelegate, retry: Bool
    ) {
        pool.withConnection { [self] result in
            switch result {
            case .success(let (connection, reused)):
                exchange.connection = connection
                exchange.pool = pool
                // A kept-alive connection the upstream closed meanwhile fails before any
                // answer: the request is sent once more on a new connection.
                let target =
                    reused && retry ? RetryOnce(upstream: self, head: head, exchange: exchange, delegate: delegate) : nil
                connection.send(head, body: exchange.requestBody, to: target ?? delegate)
            case .failure(let error):
                delegate.upstreamFailed(.unreachable(String(describing: error)))
            }
        }
    }
}

/// Passes a response on, except a failure before its head, which retries instead.
///
/// It keeps what a retry needs rather than a closure that would: made for every request
/// on a kept-alive connection, the closure's context was an allocation more each.
private final class RetryOnce: UpstreamResponseDelegate {
    private let upstream: HTTPUpstream
    private let head: HTTPRequestHead
    private let exchange: Exchange
    private let delegate: any UpstreamResponseDelegate
    private var sawHead = false

    init(upstream: HTTPUpstream, head: HTTPRequestHead, exchange: Exchange, delegate: any UpstreamResponseDelegate) {
        self.upstream = upstream
        self.head = head
        self.exchange = exchange
        self.delegate = delegate
    }

    func upstreamHead(_ head: HTTPResponseHead) {
        sawHead = true
        delegate.upstreamHead(head)
    }

    func upstreamBody(_ body: ByteBuffer) { delegate.upstreamBody(body) }
    func upstreamEnd() { delegate.upstreamEnd() }
    func upstreamReadComplete() { delegate.upstreamReadComplete() }

    func upstreamFailed(_ error: UpstreamError) {
        if sawHead {
            delegate.upstreamFailed(error)
        } else {
            exchange.connection = nil
            upstream.attempt(head, exchange: exchange, delegate: delegate, retry: false)
        }
    }
}
