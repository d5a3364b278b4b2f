import NIOCore
import NIOHTTP1
import OutguardConfig
import OutguardEngine

/// Serves the requests of one client connection: forwards each to the upstream and
/// filters the response on its way back, on the connection's event loop.
///
/// `RequestSequencer` in front of it guarantees one request at a time: the
/// next request's head arrives only after this response's end was written.
final class ProxyHandler: ChannelInboundHandler, UpstreamResponseDelegate {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let store: RuntimeStore
    /// The runtime of the current request, taken from the store when its head arrives and
    /// kept to its response's end: a reload meanwhile changes only the requests after it.
    private var runtime: ProxyRuntime
    private let upstream: any Upstream
    private let deadlines: DeadlineWatch<Exchange>
    private var context: ChannelHandlerContext?
    private var exchange: Exchange?

    init(store: RuntimeStore, loop: LoopServices) {
        self.store = store
        runtime = store.current
        upstream = loop.upstream
        deadlines = loop.deadlines
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) {
        dropExchange()
        self.context = nil
    }

    /// The connection is going away mid-response: what was found so far is logged, the
    /// upstream request cancelled, its connection dropped.
    private func dropExchange() {
        exchange?.reportCutShort()
        exchange?.abandon()
        exchange = nil
    }

    // MARK: Requests

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            runtime = store.current
            exchange = Exchange(head: head, runtime: runtime)
            // The body is read here, not by the upstream: answer `Expect: 100-continue`
            // at once (curl otherwise waits a second before sending a large body).
            if head.headers[canonicalForm: "expect"].contains(where: { $0.lowercased() == "100-continue" }) {
                context.writeAndFlush(
                    wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .continue))), promise: nil)
            }
        case .body(var body):
            guard let exchange else { return }
            if exchange.requestBody.readableBytes + body.readableBytes > runtime.config.limits.maxRequestBytes {
                exchange.rejection =
                    exchange.rejection
                    ?? Rejection(
                        status: .payloadTooLarge, code: "request_too_large",
                        message:
                            "The request body is larger than \(runtime.config.limits.maxRequestBytes) bytes (limits.max_request_bytes)."
                    )
            } else {
                exchange.requestBody.append(part: &body)
            }
        case .end:
            guard let exchange else { return }
            if exchange.isFeedback && exchange.rejection == nil {
                answerFeedback(exchange)
            } else if let rejection = exchange.rejection ?? exchange.check() {
                respond(rejection, for: exchange)
            } else {
                forward(exchange)
            }
        }
    }

    private func forward(_ exchange: Exchange) {
        exchange.expectHead(by: .now() + runtime.responseTimeout, watchedBy: deadlines) { [weak self] exchange in
            // Only the exchange still being served times out this connection's response.
            guard let self, self.exchange === exchange else { return }
            self.upstreamFailed(.timeout)
        }
        exchange.measures.forwarded = .now()
        upstream.send(exchange, to: self)
    }

    // MARK: Upstream response

    func upstreamHead(_ head: HTTPResponseHead) {
        guard let exchange, let context else { return }
        exchange.measures.upstreamResponded()
        exchange.upstreamStatus = head.status
        let mode = exchange.responseMode(
            for: head, failClosed: runtime.config.failMode == .closed, on: context.eventLoop)
        exchange.mode = mode
        switch mode {
        case .refuse(let rejection):
            exchange.abandon()
            respond(rejection, for: exchange)
            return
        case .pass:
            write(
                head: responseHead(head, for: exchange, action: .pass, dropLength: false), for: exchange,
                context: context)
        case .buffer:
            exchange.responseHead = head
        case .stream(let filter):
            // Weak all round: the filter keeps this closure, so a strong capture of the
            // filter would keep both alive after the response.
            filter.onProgress = { [weak self, weak exchange, weak filter] in
                guard let self, let exchange, let filter, self.exchange === exchange else { return }
                self.send(filter.drain(), from: filter, for: exchange)
                self.context?.flush()
            }
            var clientHead = responseHead(head, for: exchange, action: nil, dropLength: true)
            clientHead.headers.add(name: "Trailer", value: HeaderRules.action)
            // Flushed when the upstream's read is over, with the events it carried.
            write(head: clientHead, for: exchange, context: context)
        case .idle:
            return
        }
        // Silence inside any body is bounded, a buffered one too: its client waits as well.
        exchange.expectBody(idle: runtime.idleTimeout)
    }

    func upstreamBody(_ body: ByteBuffer) {
        guard let exchange, let context else { return }
        exchange.lastActivity = .now()
        exchange.measures.bytesIn += body.readableBytes
        switch exchange.mode {
        case .pass:
            exchange.measures.bytesOut += body.readableBytes
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        case .buffer:
            if exchange.responseBody.readableBytes + body.readableBytes > runtime.config.limits.maxResponseBytes {
                exchange.abandon()
                respond(
                    Rejection(
                        status: .badGateway, code: "response_too_large",
                        message:
                            "The upstream response is larger than \(runtime.config.limits.maxResponseBytes) bytes (limits.max_response_bytes)."
                    ),
                    for: exchange)
                return
            }
            var body = body
            exchange.responseBody.append(part: &body)
        case .stream(let filter):
            send(body.withUnsafeReadableBytes { filter.process($0) }, from: filter, for: exchange)
        case .idle, .refuse:
            break
        }
    }

    func upstreamEnd() {
        guard let exchange, let context else { return }
        exchange.finishedUpstream()
        switch exchange.mode {
        case .pass:
            complete(exchange, trailers: nil)
        case .buffer:
            sendBuffered(exchange, context: context)
        case .stream(let filter):
            send(filter.finish(), from: filter, for: exchange)
            // Classifier verdicts still out: what is decided goes now.
            context.flush()
        case .idle, .refuse:
            break
        }
    }

    func upstreamReadComplete() { context?.flush() }

    func upstreamFailed(_ error: UpstreamError) {
        guard let exchange else { return }
        exchange.abandon()
        switch exchange.mode {
        case .idle, .buffer:
            respond(Rejection(status: error.status, code: "upstream_error", message: error.message), for: exchange)
        case .pass, .stream, .refuse:
            // The head is sent: all that is left is to end the response early, after what
            // went out before the break.
            exchange.reportCutShort()
            context?.flush()
            context?.close(promise: nil)
            self.exchange = nil
        }
    }

    /// Writes what a stream's filter let go (the caller flushes); ends the response once
    /// the filter finished (blocked, or every frame sent after the upstream's end).
    private func send(_ output: ByteBuffer, from filter: StreamBodyFilter, for exchange: Exchange) {
        guard let context else { return }
        exchange.measures.bytesOut += output.readableBytes
        if output.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(.byteBuffer(output))), promise: nil)
        }
        guard filter.isFinished else { return }
        // A block may come before the upstream's end: its request is dropped.
        exchange.abandon()
        exchange.mode = .idle
        endStream(filter, exchange: exchange)
    }

    private func sendBuffered(_ exchange: Exchange, context: ChannelHandlerContext) {
        guard let filter = exchange.bodyFilter else { return }
        let body = Array(exchange.responseBody.readableBytesView)
        let filtering = NIODeadline.now()
        guard let asker = exchange.classifiers(on: context.eventLoop) else {
            sendFiltered(filter.filter(body), since: filtering, for: exchange, context: context)
            return
        }
        filter.filter(body, asking: asker).assumeIsolated().whenSuccess { [weak self] filtered in
            // The client may have left while the classifiers answered.
            guard let self, self.exchange === exchange, let context = self.context else { return }
            self.sendFiltered(filtered, since: filtering, for: exchange, context: context)
        }
    }

    private func sendFiltered(
        _ filtered: BodyFilter.Filtered, since filtering: NIODeadline, for exchange: Exchange,
        context: ChannelHandlerContext
    ) {
        guard let head = exchange.responseHead else { return }
        let (result, texts, outcome) = filtered
        exchange.measures.filtered(since: filtering, outcome: outcome)
        exchange.report(texts, outcome: outcome, stream: false)
        // A clean answer goes out in the very buffer it came in.
        let output: ByteBuffer
        switch result {
        case .unchanged:
            output = exchange.responseBody
        case .rewritten(let rewritten):
            output = ByteBuffer(bytes: rewritten)
        case .refused(let message):
            respond(
                Rejection(status: .badRequest, code: "content_filter", message: message, action: .block), for: exchange)
            return
        case .malformed(let error):
            guard runtime.config.failMode == .open else {
                respond(
                    Rejection(
                        status: .badGateway, code: "upstream_malformed",
                        message:
                            "The upstream answer could not be read (\(error)), so it is not shown (fail_mode: closed)."),
                    for: exchange)
                return
            }
            output = exchange.responseBody
        }
        var clientHead = responseHead(head, for: exchange, action: outcome, dropLength: true)
        clientHead.headers.add(name: "Content-Length", value: String(output.readableBytes))
        write(head: clientHead, for: exchange, context: context)
        exchange.measures.bytesOut += output.readableBytes
        context.write(wrapOutboundOut(.body(.byteBuffer(output))), promise: nil)
        complete(exchange, trailers: nil)
    }

    private func endStream(_ filter: StreamBodyFilter, exchange: Exchange) {
        exchange.measures.filtered(by: filter)
        exchange.report(filter.texts, outcome: filter.outcome, stream: true)
        var trailers = HTTPHeaders()
        trailers.add(name: HeaderRules.action, value: filter.outcome.rawValue)
        complete(exchange, trailers: trailers)
    }

    // MARK: Writing

    private func responseHead(
        _ upstream: HTTPResponseHead, for exchange: Exchange, action: Verdict.Outcome?, dropLength: Bool
    ) -> HTTPResponseHead {
        // The upstream's own Outguard-* headers (another Outguard in front of it) would
        // duplicate ours into "pass, block": only this proxy's verdict is reported.
        var headers = HeaderRules.forwardable(
            upstream.headers, dropping: dropLength ? Self.droppedWithLength : Self.dropped)
        headers.add(name: HeaderRules.requestID, value: exchange.requestID)
        if let action { headers.add(name: HeaderRules.action, value: action.rawValue) }
        return HTTPResponseHead(version: exchange.head.version, status: upstream.status, headers: headers)
    }

    private static let dropped = HeaderRules.hopByHop.adding(HeaderRules.ownResponseHeaders)
    private static let droppedWithLength = dropped.adding(["content-length"])

    private func write(head: HTTPResponseHead, for exchange: Exchange, context: ChannelHandlerContext) {
        var head = head
        if !exchange.head.isKeepAlive { head.headers.replaceOrAdd(name: "Connection", value: "close") }
        exchange.measures.status = head.status
        context.write(wrapOutboundOut(.head(head)), promise: nil)
    }

    /// Answers with an error in the API's shape (OpenAI's for routes of no known API).
    private func respond(_ rejection: Rejection, for exchange: Exchange) {
        let adapter = (exchange.provider ?? .openAIChat).adapter
        let body = adapter.errorBody(
            status: Int(rejection.status.code), message: rejection.message, code: rejection.code)
        answer(rejection.status, json: body, action: rejection.action, for: exchange)
    }

    /// Answers with a JSON body of Outguard's own.
    private func answer(
        _ status: HTTPResponseStatus, json body: [UInt8], action: Verdict.Outcome, for exchange: Exchange
    ) {
        guard let context else { return }
        exchange.cancelTimer()
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: String(body.count))
        headers.add(name: HeaderRules.requestID, value: exchange.requestID)
        headers.add(name: HeaderRules.action, value: action.rawValue)
        write(
            head: HTTPResponseHead(version: exchange.head.version, status: status, headers: headers),
            for: exchange, context: context)
        exchange.measures.action = action
        exchange.measures.bytesOut += body.count
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
        complete(exchange, trailers: nil)
    }

    /// `POST /v1/outguard/feedback`: checks the feedback and queues its record.
    private func answerFeedback(_ exchange: Exchange) {
        switch FeedbackRequest.submit(method: exchange.head.method, body: exchange.requestBody, runtime: runtime) {
        case .success(let requestID):
            let body: JSONValue = ["recorded": true, "request_id": .string(requestID)]
            answer(.accepted, json: body.bytes, action: .pass, for: exchange)
        case .failure(let rejection):
            respond(rejection, for: exchange)
        }
    }

    private func complete(_ exchange: Exchange, trailers: HTTPHeaders?) {
        guard let context else { return }
        exchange.cancelTimer()
        exchange.countResponse()
        self.exchange = nil
        guard !exchange.head.isKeepAlive else {
            context.writeAndFlush(wrapOutboundOut(.end(trailers)), promise: nil)
            return
        }
        context.writeAndFlush(wrapOutboundOut(.end(trailers))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    // MARK: Connection events

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        exchange?.setReading(context.channel.isWritable)
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        dropExchange()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Bad HTTP was answered by `BadHTTPResponder` before this handler sees the error.
        dropExchange()
        context.close(promise: nil)
    }
}

extension ByteBuffer {
    /// Appends a body part. The first part is kept as it came, a view of the read it was
    /// in: a request or an answer usually fits in one read, and copying it into a buffer
    /// of its own cost an allocation and a copy each way.
    fileprivate mutating func append(part: inout ByteBuffer) {
        if readableBytes == 0 {
            self = part
        } else {
            writeBuffer(&part)
        }
    }
}
