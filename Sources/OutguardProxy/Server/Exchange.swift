import NIOCore
import NIOHTTP1
import OutguardConfig
import OutguardEngine

/// One request and its response as they pass through the proxy.
final class Exchange: DeadlineWatched {
    /// How the upstream's response body is handled.
    enum ResponseMode {
        /// No response head yet.
        case idle
        /// Sent on unchanged (routes of no known API, errors, bodies that are not text).
        case pass
        /// Collected whole, filtered, then sent (non-streamed answers).
        case buffer
        /// Filtered frame by frame as it arrives.
        case stream(StreamBodyFilter)
        /// Answered by Outguard instead.
        case refuse(Rejection)
    }

    let head: HTTPRequestHead
    let requestID: String
    /// The request's path, without the query.
    let path: Substring
    let provider: Provider?
    /// Whether this is feedback for the log (`POST /v1/outguard/feedback`), answered here.
    let isFeedback: Bool
    var requestBody = ByteBuffer()
    var responseHead: HTTPResponseHead?
    var responseBody = ByteBuffer()
    var rejection: Rejection?
    var mode = ResponseMode.idle
    var lastActivity = NIODeadline.now()
    /// When the request arrived, for the log's latency.
    let arrival = NIODeadline.now()
    /// The upstream's status, once its head arrived.
    var upstreamStatus: HTTPResponseStatus?
    /// The upstream connection serving this exchange, and the pool it goes back to.
    var connection: UpstreamConnection?
    var pool: UpstreamPool?
    /// What the metrics are told when the response ends.
    var measures = ExchangeMeasures()
    private let runtime: ProxyRuntime
    private(set) var policy: PolicyEntry?

    init(head: HTTPRequestHead, runtime: ProxyRuntime) {
        self.head = head
        self.runtime = runtime
        requestID = HeaderRules.requestID(from: head.headers)
        path = HeaderRules.path(of: head.uri)
        provider = Provider(path: path)
        isFeedback = provider == nil && path == FeedbackRequest.path
    }

    /// Whether the request may go upstream; the error to answer with if not.
    func check() -> Rejection? {
        let headerBytes =
            head.uri.utf8.count + head.headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 }
        if headerBytes > runtime.config.limits.maxHeaderBytes {
            return Rejection(
                status: .requestHeaderFieldsTooLarge, code: "headers_too_large",
                message:
                    "The request's headers are larger than \(runtime.config.limits.maxHeaderBytes) bytes (limits.max_header_bytes)."
            )
        }
        if provider == nil && runtime.config.unknownRoutes == .block {
            return Rejection(
                status: .notFound, code: "unknown_route",
                message: "Outguard does not forward \(path) (unknown_routes: block).")
        }
        let name = head.headers.first(name: HeaderRules.policy) ?? ServerConfig.defaultPolicyName
        guard let policy = runtime.policies[name] else {
            let known = runtime.policies.keys.sorted().joined(separator: ", ")
            return Rejection(
                status: .badRequest, code: "unknown_policy",
                message: "There is no policy named `\(name)` (Outguard-Policy header); the policies are: \(known).")
        }
        self.policy = policy
        return nil
    }

    /// Decides, from the upstream's response head, how its body is handled.
    func responseMode(for head: HTTPResponseHead, failClosed: Bool, on eventLoop: any EventLoop) -> ResponseMode {
        guard let provider, let policy, (200..<300).contains(head.status.code) else { return .pass }
        let type = MediaType(head.headers.first(name: "content-type") ?? "")
        let encoding = head.headers.first(name: "content-encoding") ?? "identity"
        guard type.isStream || type.isJSON else { return .pass }
        guard encoding.lowercased() == "identity" else {
            return failClosed
                ? .refuse(
                    Rejection(
                        status: .badGateway, code: "upstream_encoding",
                        message:
                            "The upstream answered with Content-Encoding \(encoding), which Outguard cannot read (fail_mode: closed)."
                    ))
                : .pass
        }
        guard let framing = type.streamFraming else { return .buffer }
        return .stream(
            StreamBodyFilter(
                adapter: provider.adapter, framing: framing, policy: policy.policy,
                options: options, failClosed: failClosed, classifiers: classifiers(on: eventLoop),
                keepsText: runtime.log != nil))
    }

    /// How this response's classifier rules are asked; nil when its policy has none.
    func classifiers(on eventLoop: any EventLoop) -> ClassifierAsker? {
        guard let policy, let plan = runtime.classifiers[policy.name] else { return nil }
        return ClassifierAsker(plan: plan, hooks: runtime.hooks, eventLoop: eventLoop)
    }

    var options: FilterOptions { FilterOptions(scanToolArguments: policy?.scanToolArguments ?? false) }

    var bodyFilter: BodyFilter? {
        guard let provider, let policy else { return nil }
        return BodyFilter(
            adapter: provider.adapter, policy: policy.policy, options: options,
            failClosed: runtime.config.failMode == .closed, refuseWithError: runtime.config.blocked == .error)
    }

    /// Hands the filtered response to the violation log (when there is one).
    func report(_ texts: [FilteredText], outcome: Verdict.Outcome, stream: Bool) {
        runtime.metrics.found(in: texts)
        guard let log = runtime.log, let provider, let policy else { return }
        log.recentRequests.remember(requestID)
        guard texts.contains(where: { !$0.findings.isEmpty }) || log.captures != nil,
            let loggedPolicy = runtime.loggedPolicies[policy.name]
        else { return }
        let facts = ResponseFacts(
            requestID: requestID, policy: loggedPolicy, provider: provider,
            model: RequestedModel.name(path: path, body: requestBody), stream: stream,
            upstreamStatus: Int(upstreamStatus?.code ?? 0),
            latencyMs: Double((NIODeadline.now() - arrival).nanoseconds) / 1_000_000)
        log.report(facts, texts: texts, outcome: outcome)
    }

    /// A stream that ends early (the client left, the upstream broke off) still has its
    /// findings so far logged, once; any response that ends early is still counted.
    func reportCutShort() {
        defer { countResponse() }
        guard case .stream(let filter) = mode else { return }
        measures.filtered(by: filter)
        mode = .idle
        report(filter.texts, outcome: filter.outcome, stream: true)
    }

    /// Counts the response in the metrics once it ended, however it ended; one whose head
    /// never reached the client is not counted.
    func countResponse() {
        guard !measures.counted else { return }
        measures.counted = true
        runtime.metrics.responded(
            route: RouteLabel(path: path, provider: provider, isFeedback: isFeedback), provider: provider,
            measures: measures)
    }

    // MARK: Upstream connection

    /// The response is complete: the connection may serve another request.
    func finishedUpstream() {
        guard let connection else { return }
        self.connection = nil
        pool?.release(connection)
    }

    /// Drops the upstream request (client gone, response cut short).
    func abandon() {
        cancelTimer()
        connection?.abandon()
        connection = nil
    }

    func setReading(_ reading: Bool) { connection?.setReading(reading) }

    // MARK: Timers

    /// What the upstream owes next: its response head by a fixed time, then each piece
    /// of the body within `idle` of the previous one.
    private enum Wait {
        case head(NIODeadline)
        case body(idle: TimeAmount)
    }

    private var wait: Wait?
    private var onTimeout: ((Exchange) -> Void)?
    private var watch: DeadlineWatch<Exchange>?
    /// This exchange's place in its loop's `DeadlineWatch`, while watched.
    var watchSlot: Int?

    /// Calls `fire` with this exchange unless the response head arrives by `deadline`.
    func expectHead(
        by deadline: NIODeadline, watchedBy watch: DeadlineWatch<Exchange>, _ fire: @escaping (Exchange) -> Void
    ) {
        wait = .head(deadline)
        onTimeout = fire
        self.watch = watch
        watch.watch(self)
    }

    /// From now on, calls the timeout unless a piece of the body arrives every `idle`.
    func expectBody(idle: TimeAmount) {
        guard watch != nil else { return }
        wait = .body(idle: idle)
        lastActivity = .now()
    }

    func isOverdue(at now: NIODeadline) -> Bool {
        switch wait {
        case .head(let deadline): deadline <= now
        case .body(let idle): lastActivity + idle <= now
        case nil: false
        }
    }

    func timeOut() {
        let fire = onTimeout
        cancelTimer()
        fire?(self)
    }

    func cancelTimer() {
        watch?.unwatch(self)
        watch = nil
        wait = nil
        onTimeout = nil
    }
}

/// What a `Content-Type` says about a body, read without allocating: the proxy asks
/// this of every response.
struct MediaType {
    /// `text/event-stream` (SSE) or `application/x-ndjson` (or any `…ndjson`).
    let streamFraming: StreamFraming?
    /// `application/json` or any `…+json`.
    let isJSON: Bool

    init(_ value: String) {
        let essence = value.utf8.prefix { $0 != UInt8(ascii: ";") }
        func ends(with suffix: String) -> Bool {
            let tail = essence.reversed().drop { $0 == 0x20 || $0 == 0x09 }
            return tail.starts(with: suffix.utf8.reversed()) { $0.asciiLowercased == $1 }
        }
        if ends(with: "text/event-stream") {
            streamFraming = .sse
        } else if ends(with: "ndjson") {
            streamFraming = .ndjson
        } else {
            streamFraming = nil
        }
        isJSON = ends(with: "json")
    }

    var isStream: Bool { streamFraming != nil }
}

/// An answer Outguard gives instead of the upstream's.
struct Rejection: Error {
    var status: HTTPResponseStatus
    var code: String
    var message: String
    var action: Verdict.Outcome = .pass
}
