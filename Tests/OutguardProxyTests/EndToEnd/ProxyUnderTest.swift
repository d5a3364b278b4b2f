import Logging
import OutguardConfig
import OutguardHooks
import OutguardLog
import OutguardProxy
import ServiceLifecycle
import Synchronization

/// The real proxy, in process: a `ProxyServer` on 127.0.0.1 (a free port) run by a
/// `ServiceGroup`, as `outguard serve` runs it.
final class ProxyUnderTest: Sendable {
    let port: Int
    private let group: ServiceGroup
    private let running: Task<Void, Never>
    private let shared: Shared

    /// What the service task reports.
    private final class Shared: Sendable {
        /// The bound port once listening; whether and how `run` returned.
        struct State {
            var port: Int?
            var stopped = false
            var error: (any Error)?
        }

        let state = Mutex(State())
    }

    private init(port: Int, group: ServiceGroup, running: Task<Void, Never>, shared: Shared) {
        self.port = port
        self.group = group
        self.running = running
        self.shared = shared
    }

    /// Starts the proxy and waits until it accepts connections. Call `stop()` when done.
    static func start(
        _ config: ServerConfig, policies: [String: PolicyEntry], metrics: ProxyMetrics = ProxyMetrics(),
        hooks: Hooks? = nil
    ) async throws -> ProxyUnderTest {
        // As `outguard serve` does: the writers come first, so they drain after the server stopped.
        let records = config.log.violationFile.map { LogWriter<LogRecord>($0, logger: quiet) }
        let captures = config.log.captureFile.map { LogWriter<CapturedResponse>($0, logger: quiet) }
        let log = records.map { ViolationLog(records: $0, captures: captures, config: config.log) }
        let store = RuntimeStore(try ProxyRuntime(config: config, policies: policies, log: log, metrics: metrics, hooks: hooks))
        let writers: [any Service] = [records as (any Service)?, captures].compactMap { $0 }
        return try await start(store, before: writers)
    }

    /// Starts a proxy serving `store`, with `before` started ahead of it and stopped after
    /// it, and `after` the other way round (a reloader), as `outguard serve` orders them.
    static func start(
        _ store: RuntimeStore, before: [any Service] = [], after: [any Service] = []
    ) async throws -> ProxyUnderTest {
        let shared = Shared()
        let server = ProxyServer(store: store, logger: quiet) { _, port in
            shared.state.withLock { $0.port = port }
        }
        let group = ServiceGroup(services: before + [server] + after, logger: quiet)
        let running = Task {
            do {
                try await group.run()
            } catch {
                shared.state.withLock { $0.error = error }
            }
            shared.state.withLock { $0.stopped = true }
        }
        _ = await Bounded.eventually(within: .seconds(5)) { shared.state.withLock { $0.port != nil || $0.stopped } }
        let (port, error) = shared.state.withLock { ($0.port, $0.error) }
        guard let port else {
            await group.triggerGracefulShutdown()
            running.cancel()
            throw error ?? Bounded.TimedOut(what: "the proxy's start", limit: .seconds(5))
        }
        return ProxyUnderTest(port: port, group: group, running: running, shared: shared)
    }

    /// Starts a graceful shutdown (as SIGTERM does): no new connections, the responses
    /// in flight finish.
    func beginShutdown() async { await group.triggerGracefulShutdown() }

    /// Whether the service has returned.
    var isStopped: Bool { shared.state.withLock { $0.stopped } }

    /// Shuts down gracefully and waits (bounded) until the service has returned, then
    /// cancels it if it has not; returns whether it stopped. The grace period in the test
    /// config is short, so a connection left open cannot hold it up for long.
    @discardableResult
    func stop(within limit: Duration = .seconds(5)) async -> Bool {
        await beginShutdown()
        if await Bounded.eventually(within: limit, { isStopped }) { return true }
        running.cancel()
        return await Bounded.eventually(within: limit) { isStopped }
    }

    static let quiet = Logger(label: "outguard-e2e") { _ in SwiftLogNoOpLogHandler() }
}
