import Crypto
import Foundation
public import Logging
import NIOConcurrencyHelpers
public import NIOCore
import NIOHTTP1
import NIOSSL
public import OutguardConfig

/// The client of one classifier hook: it sends a text and gets the hook's scores back,
/// bounded in time and in load, remembering answers, and refusing calls at once while
/// the service keeps failing.
///
/// Why SwiftNIO directly and not AsyncHTTPClient (which is available): the proxy's data
/// path is NIO handlers on one event loop per connection, and a call made from one must
/// answer on that same loop without a hop to another executor or a second connection
/// pool and thread pool on the side. A hook call is the simplest HTTP there is (a small
/// POST, a small JSON answer), so its client is a few small handlers over the same
/// NIOHTTP1 and NIOSSL the upstream pool uses.
///
/// - Time: `timeout_ms` covers the whole call: waiting for a slot, connecting, and the
///   answer. A call that runs out is answered `.timeout` and its connection dropped.
/// - Load: at most `max_concurrency` calls are at the service at once, over all event
///   loops. Calls beyond that wait, in arrival order, in a queue of up to
///   4 × `max_concurrency` (still within their own timeout); when the queue is full a
///   call fails at once as `.overloaded` rather than adding to a backlog the service
///   cannot clear.
/// - Cache: the last `cache_size` answers, keyed by a SHA-256 of the text (plus the rule
///   and categories for the `outguard` protocol, whose answer depends on them), so a
///   repeated text costs no round trip.
/// - Breaker: see `CircuitBreaker`; after 5 failures in a row calls fail at once as
///   `.breakerOpen` for 5 s, then one trial call decides.
///
/// Connections are kept alive per event loop; a kept-alive connection the service closed
/// meanwhile is retried once on a new one.
public final class HookClient: Sendable {
    /// Knobs rule files do not set; tests shorten them.
    public struct Tuning: Sendable {
        /// Consecutive failures that open the breaker.
        public var failureThreshold = CircuitBreaker.defaultFailureThreshold
        /// How long an open breaker refuses calls before a trial.
        public var coolDown = CircuitBreaker.defaultCoolDown
        /// How many calls may wait for a slot, per slot.
        public var queuePerSlot = 4

        public init() {}
    }

    /// What all event loops share, under one lock: held briefly, once when a call starts
    /// and once when it ends.
    struct SharedState: Sendable {
        var cache: LRUCache<SHA256.Digest, [String: Double]>
        var breaker: CircuitBreaker
        var inFlight = 0
        var waiters = CircularBuffer<Waiter>()
        var nextWaiterID = 0
        var counters = HookCounters()
        var health = HookHealth.notTried
    }

    struct Waiter: Sendable {
        var id: Int
        var start: @Sendable () -> Void
    }

    enum Admission {
        case cached(HookResult)
        case refused(HookFailure)
        case run
        case queued(id: Int)
    }

    public let definition: HookDefinition
    public var name: String { definition.name }
    let codec: HookCodec
    let endpoint: HookEndpoint
    let timeout: TimeAmount
    let maxQueued: Int
    private let headers: HTTPHeaders
    private let sslContext: NIOSSLContext?
    private let state: NIOLockedValueBox<SharedState>
    private let pools = NIOLockedValueBox<[ObjectIdentifier: NIOLoopBound<HookConnectionPool>]>([:])
    private let metrics: HookMetrics?
    private let logger: Logger

    /// Builds the client; the header values' `${VARIABLES}` are read from `environment` now.
    public init(
        _ definition: HookDefinition, environment: [String: String], tuning: Tuning = Tuning(),
        metrics: HookMetrics? = nil, logger: Logger = Logger(label: "outguard.hooks")
    ) throws(HookSetupError) {
        guard let endpoint = HookEndpoint(url: definition.url) else {
            throw HookSetupError(
                hook: definition.name, location: definition.location,
                "`\(definition.url)` is not an http:// or https:// URL")
        }
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: endpoint.hostHeader)
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Accept", value: "application/json")
        headers.add(name: "User-Agent", value: "outguard")
        for header in definition.headers {
            switch header.value(in: environment) {
            case .failure(let missing):
                throw HookSetupError(
                    hook: definition.name, location: header.location,
                    "header `\(missing.header)` reads the environment variable `\(missing.variable)`, which is not set")
            case .success(let value):
                guard !value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) else {
                    throw HookSetupError(
                        hook: definition.name, location: header.location,
                        "header `\(header.name)` would hold a line break from its environment variables")
                }
                headers.add(name: header.name, value: value)
            }
        }
        if endpoint.useTLS {
            do {
                sslContext = try NIOSSLContext(configuration: .makeClientConfiguration())
            } catch {
                throw HookSetupError(
                    hook: definition.name, location: definition.location, "cannot set up TLS: \(error)")
            }
        } else {
            sslContext = nil
        }
        self.definition = definition
        self.codec = HookCodec(protocol: definition.protocol)
        self.endpoint = endpoint
        self.headers = headers
        self.timeout = .milliseconds(Int64(definition.timeoutMs))
        self.maxQueued = definition.maxConcurrency * tuning.queuePerSlot
        self.metrics = metrics
        self.logger = logger
        state = NIOLockedValueBox(
            SharedState(
                cache: LRUCache(capacity: definition.cacheSize),
                breaker: CircuitBreaker(failureThreshold: tuning.failureThreshold, coolDown: tuning.coolDown)))
    }

    /// The scores of `text` for a rule, answered on `eventLoop` (the caller's), never failed:
    /// a failure is a `HookResult.failure` for the caller's `on_error`.
    ///
    /// `rule` and `categories` go to an `outguard` hook; for either protocol, an answer
    /// that lacks a score for one of `categories` is `.badBody`.
    public func scores(
        for text: String, rule: String?, categories: [String], on eventLoop: any EventLoop
    ) -> EventLoopFuture<HookResult> {
        guard eventLoop.inEventLoop else {
            return eventLoop.flatSubmit { self.scores(for: text, rule: rule, categories: categories, on: eventLoop) }
        }
        let key = cacheKey(text: text, rule: rule, categories: categories)
        let call = HookCall(
            client: self, eventLoop: eventLoop, key: key, text: text, rule: rule, categories: categories)
        let bound = NIOLoopBound(call, eventLoop: eventLoop)
        let now = NIODeadline.now()
        let admission = state.withLockedValue { state in
            admit(key: key, categories: categories, now: now, state: &state) {
                eventLoop.execute { bound.value.slotGranted() }
            }
        }
        switch admission {
        case .cached(let result):
            call.promise.succeed(result)
        case .refused(let failure):
            call.promise.succeed(.failure(failure))
        case .run:
            call.start(deadline: now + timeout, queuedID: nil)
        case .queued(let id):
            call.start(deadline: now + timeout, queuedID: id)
        }
        return call.promise.futureResult
    }

    /// One call to the service that bypasses the cache, breaker and counters: whether the
    /// hook answers at all, for start-up (lint, `/readyz`). Any answer in the protocol's
    /// shape counts as reachable, and `health` says so too.
    public func probe(on eventLoop: any EventLoop) -> EventLoopFuture<HookResult> {
        eventLoop.flatSubmit {
            let call = HookCall(
                client: self, eventLoop: eventLoop, key: nil, text: "Outguard start-up check", rule: nil, categories: []
            )
            call.start(deadline: .now() + self.timeout, queuedID: nil)
            return call.promise.futureResult
        }
    }

    /// The counters so far.
    public var counters: HookCounters {
        state.withLockedValue { state in
            var counters = state.counters
            counters.inFlight = state.inFlight
            counters.queued = state.waiters.count
            counters.breakerOpen = state.breaker.isOpen
            counters.breakerOpenings = state.breaker.openings
            return counters
        }
    }

    /// Whether the service answered the latest call or probe that reached for it.
    public var health: HookHealth { state.withLockedValue(\.health) }

    /// Closes the idle connections (after a reload replaced this client).
    public func close() {
        for pool in pools.withLockedValue({ Array($0.values) }) {
            pool.eventLoop.execute { pool.value.close() }
        }
    }

    // MARK: - For HookCall

    func pool(for eventLoop: any EventLoop) -> HookConnectionPool {
        let id = ObjectIdentifier(eventLoop)
        let bound = pools.withLockedValue { pools in
            if let pool = pools[id] { return pool }
            let pool = NIOLoopBound(
                HookConnectionPool(
                    eventLoop: eventLoop, host: endpoint.host, port: endpoint.port, sslContext: sslContext,
                    maxIdle: definition.maxConcurrency, connectTimeout: timeout,
                    addHandlers: { pipeline in
                        try pipeline.addHTTPClientHandlers()
                        try pipeline.addHandler(HookResponseHandler())
                    },
                    makeConnection: HookConnection.init(channel:)),
                eventLoop: eventLoop)
            pools[id] = pool
            return pool
        }
        return bound.value
    }

    func requestHead(bodyLength: Int) -> HTTPRequestHead {
        var headers = self.headers
        headers.add(name: "Content-Length", value: String(bodyLength))
        return HTTPRequestHead(version: .http1_1, method: .POST, uri: endpoint.target, headers: headers)
    }

    /// Takes the result of a call that was admitted (`key` set) or a probe (`key` nil).
    /// `heldSlot`: whether the call had a slot to give back.
    func ended(key: SHA256.Digest?, result: HookResult?, heldSlot: Bool) {
        let now = NIODeadline.now()
        let date = Date()
        let (next, breakerWasOpen, breakerIsOpen) = state.withLockedValue { state in
            let wasOpen = state.breaker.isOpen
            if let result { state.health = state.health.after(result, at: date) }
            if let key, let result {
                state.counters.calls[result.outcome, default: 0] += 1
                switch result {
                case .success(let scores):
                    state.breaker.succeeded()
                    state.cache.insert(scores.scores, for: key)
                case .failure(let failure) where failure.countsAgainstService:
                    state.breaker.failed(now: now)
                case .failure:
                    break
                }
            }
            var next: Waiter?
            if heldSlot {
                next = state.waiters.popFirst()
                if next == nil { state.inFlight -= 1 }
            }
            return (next, wasOpen, state.breaker.isOpen)
        }
        next?.start()
        if breakerWasOpen != breakerIsOpen {
            metrics?.breaker(open: breakerIsOpen)
            if breakerIsOpen {
                logger.warning(
                    "hook breaker open", metadata: ["hook": "\(name)", "failure": "\(result.map { "\($0)" } ?? "")"])
            } else {
                logger.info("hook breaker closed", metadata: ["hook": "\(name)"])
            }
        }
        if key != nil, let result { metrics?.count(result.outcome) }
    }

    /// A queued call gave up (timed out): whether it was still waiting. If not, it was
    /// just granted a slot, which `slotGranted` gives back.
    func leaveQueue(id: Int) -> Bool {
        state.withLockedValue { state in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return false }
            state.waiters.remove(at: index)
            return true
        }
    }

    // MARK: - Admission

    private func admit(
        key: SHA256.Digest, categories: [String], now: NIODeadline, state: inout SharedState,
        start: @escaping @Sendable () -> Void
    ) -> Admission {
        if let cached = state.cache.value(for: key) {
            let result = HookCodec.check(cached, has: categories).map { HookScores(scores: $0, cached: true) }
            let outcome = result.outcome == .ok ? HookOutcome.cacheHit : result.outcome
            state.counters.calls[outcome, default: 0] += 1
            metrics?.count(outcome)
            return .cached(result)
        }
        let permit = state.breaker.permit(now: now)
        if permit == .refuse { return refuse(.breakerOpen, state: &state) }
        if state.inFlight < definition.maxConcurrency {
            state.inFlight += 1
            return .run
        }
        guard state.waiters.count < maxQueued else {
            if permit == .trial { state.breaker.trialAbandoned(now: now) }
            return refuse(.overloaded, state: &state)
        }
        let id = state.nextWaiterID
        state.nextWaiterID += 1
        state.waiters.append(Waiter(id: id, start: start))
        return .queued(id: id)
    }

    private func refuse(_ failure: HookFailure, state: inout SharedState) -> Admission {
        state.counters.calls[failure.outcome, default: 0] += 1
        metrics?.count(failure.outcome)
        return .refused(failure)
    }

    private func cacheKey(text: String, rule: String?, categories: [String]) -> SHA256.Digest {
        var hasher = SHA256()
        // Each part with its length first, so parts cannot run into each other. Rule and
        // categories change an `outguard` answer, not an OpenAI one.
        let parts = codec.protocol == .outguard ? [text, rule ?? ""] + categories : [text]
        for part in parts {
            let bytes = Array(part.utf8)
            withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { hasher.update(bufferPointer: $0) }
            hasher.update(data: bytes)
        }
        return hasher.finalize()
    }
}

extension HookResult {
    /// The outcome it is counted as.
    public var outcome: HookOutcome {
        switch self {
        case .success(let scores): scores.cached ? .cacheHit : .ok
        case .failure(let failure): failure.outcome
        }
    }
}

/// A hook that cannot be built from its definition (a header's environment variable is
/// not set, TLS cannot be set up): the daemon refuses to start with it.
public struct HookSetupError: Error, Sendable, Hashable, CustomStringConvertible {
    public var hook: String
    public var location: SourceLocation
    public var message: String

    init(hook: String, location: SourceLocation, _ message: String) {
        self.hook = hook
        self.location = location
        self.message = message
    }

    public var description: String { "\(location.description): hook `\(hook)`: \(message)" }

    /// The error as a rule file's diagnostic, at the place the hook was declared.
    public var diagnostic: Diagnostic { Diagnostic(.error, at: location, "hook `\(hook)`: \(message)") }
}
