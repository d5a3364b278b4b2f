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

    private func attempt(
        _ head: HTTPRequestHead, exchange: Exchange, delegate: any UpstreamResponseDelegate, retry: Bool
    ) {
        let pool = self.pool
        pool.withConnection { result in
            switch result {
            case .success(let (connection, reused)):
                exchange.connection = connection
                exchange.release = { pool.release($0) }
                // A kept-alive connection the upstream closed meanwhile fails before any
                // answer: the request is sent once more on a new connection.
                let target =
                    reused && retry
                    ? RetryOnce(exchange: exchange, delegate: delegate) { [self] in
                        attempt(head, exchange: exchange, delegate: delegate, retry: false)
                    } : nil
                connection.send(head, body: exchange.requestBody, to: target ?? delegate)
            case .failure(let error):
                delegate.upstreamFailed(.unreachable(String(describing: error)))
            }
        }
    }
}

/// Passes a response on, except a failure before its head, which retries instead.
private final class RetryOnce: UpstreamResponseDelegate {
    private let exchange: Exchange
    private let delegate: any UpstreamResponseDelegate
    private let retry: () -> Void
    private var sawHead = false

    init(exchange: Exchange, delegate: any UpstreamResponseDelegate, retry: @escaping () -> Void) {
        self.exchange = exchange
        self.delegate = delegate
        self.retry = retry
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
            retry()
        }
    }
}
