import Crypto
import NIOCore
import NIOHTTP1

/// One call of a `HookClient`, confined to the caller's event loop from start to answer.
final class HookCall {
    let client: HookClient
    let eventLoop: any EventLoop
    let promise: EventLoopPromise<HookResult>
    /// Nil for a probe, which is not admitted, cached or counted.
    private let key: SHA256.Digest?
    private let text: String
    private let rule: String?
    private let categories: [String]
    private var queuedID: Int?
    private var holdsSlot = false
    private var finished = false
    private var timeoutTask: Scheduled<Void>?
    private var connection: HookConnection?

    init(
        client: HookClient, eventLoop: any EventLoop, key: SHA256.Digest?, text: String, rule: String?,
        categories: [String]
    ) {
        self.client = client
        self.eventLoop = eventLoop
        self.promise = eventLoop.makePromise()
        self.key = key
        self.text = text
        self.rule = rule
        self.categories = categories
    }

    /// Arms the timeout and sends now, or, with `queuedID`, waits for `slotGranted`.
    func start(deadline: NIODeadline, queuedID: Int?) {
        eventLoop.preconditionInEventLoop()
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        timeoutTask = eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { bound.value.timedOut() }
        self.queuedID = queuedID
        if queuedID == nil {
            holdsSlot = key != nil
            send(retry: true)
        }
    }

    /// A slot freed up for this queued call.
    func slotGranted() {
        queuedID = nil
        holdsSlot = true
        if finished {
            // Timed out while the slot was on its way: pass it on.
            holdsSlot = false
            client.ended(key: key, result: nil, heldSlot: true)
            return
        }
        send(retry: true)
    }

    private func timedOut() {
        guard !finished else { return }
        if let queuedID {
            // Still waiting: leave the queue. If a slot was granted meanwhile, `slotGranted`
            // (already scheduled on this loop) gives it back.
            _ = client.leaveQueue(id: queuedID)
        }
        connection?.abandon()
        connection = nil
        finish(.failure(.timeout))
    }

    private func send(retry: Bool) {
        let pool = client.pool(for: eventLoop)
        pool.withConnection { [self] result in
            guard !finished else {
                if case .success(let fresh) = result { pool.release(fresh.connection) }
                return
            }
            switch result {
            case .failure(let error):
                finish(.failure(.unreachable(String(describing: error))))
            case .success(let (connection, reused)):
                self.connection = connection
                // Made here, not before: a cached or refused call never needs it.
                let body = client.codec.requestBody(text: text, rule: rule, categories: categories)
                var buffer = connection.channel.allocator.buffer(capacity: body.count)
                buffer.writeBytes(body)
                connection.send(client.requestHead(bodyLength: body.count), body: buffer) { [self] response in
                    self.connection = nil
                    switch response {
                    case .failed(_, beforeAnswer: true) where reused && retry:
                        // A kept-alive connection the service had closed: once more, on a new one.
                        send(retry: false)
                    case .failed(let reason, _):
                        finish(.failure(.unreachable(reason)))
                    case .tooLarge:
                        finish(.failure(.badBody("larger than \(HookResponseHandler.maxBodyBytes) bytes")))
                    case .answer(let status, let body):
                        pool.release(connection)
                        guard (200..<300).contains(status) else { return finish(.failure(.httpStatus(status))) }
                        finish(client.codec.scores(from: body, categories: categories).map { HookScores(scores: $0) })
                    }
                }
            }
        }
    }

    private func finish(_ result: HookResult) {
        guard !finished else { return }
        finished = true
        timeoutTask?.cancel()
        timeoutTask = nil
        let heldSlot = holdsSlot
        holdsSlot = false
        client.ended(key: key, result: result, heldSlot: heldSlot)
        promise.succeed(result)
    }
}
