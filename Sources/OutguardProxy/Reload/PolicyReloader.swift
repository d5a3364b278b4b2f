import Foundation
public import Logging
public import OutguardConfig
import OutguardHooks
public import ServiceLifecycle
import UnixSignals

/// Loads the config and rules again and, only when all of it is valid, puts the new policy
/// in place for new requests; an invalid change leaves the running policy serving and is
/// reported (log, `/readyz`, admin API) until a valid one arrives.
///
/// Reloads come from SIGHUP, `POST /admin/reload` and the file watch. Being an actor, it
/// runs one reload at a time, so two triggers at once cannot interleave their swaps.
public actor PolicyReloader: Service {
    /// Loads what `outguard serve` loaded at start, the same way (`DaemonSetup.load`).
    public typealias Load = @Sendable () -> (setup: DaemonSetup?, diagnostics: [Diagnostic])

    private let store: RuntimeStore
    private let load: Load
    private let logger: Logger
    private let hookSupply: HookSupply
    public private(set) var status: ReloadStatus
    /// The files of the setup in force.
    private var watchedPaths: [String]
    /// What they looked like when they were last loaded (or failed to load): the watch
    /// reloads when they look different.
    private var loaded: FileFingerprint

    /// - Parameters:
    ///   - setup: what the running `store` was built from.
    ///   - hookSupply: builds the hooks of a reloaded rule set (default: no environment
    ///     for header variables).
    public init(
        store: RuntimeStore, setup: DaemonSetup, logger: Logger, hookSupply: HookSupply? = nil,
        load: @escaping Load
    ) {
        self.store = store
        self.load = load
        self.logger = logger
        self.hookSupply = hookSupply ?? HookSupply(environment: [:], logger: logger)
        status = ReloadStatus(setup, at: Date())
        watchedPaths = setup.watchedPaths
        loaded = FileFingerprint(paths: setup.watchedPaths)
    }

    /// Loads and, when valid, swaps. Requests in flight finish on the policy they started with.
    @discardableResult
    public func reload(_ trigger: ReloadTrigger) -> ReloadOutcome {
        let before = FileFingerprint(paths: watchedPaths)
        var (setup, diagnostics) = load()
        let running = store.current
        var hooks: Hooks?
        if let loaded = setup {
            do {
                hooks = try hookSupply.hooks(for: loaded.hooks, running: running.hooks)
            } catch {
                diagnostics.append(error.diagnostic)
                setup = nil
            }
        }
        guard let setup else {
            // The same broken files are not tried again; the next change is.
            loaded = before
            store.current.metrics.reloaded(success: false)
            status.failedReloads += 1
            status.failure = .init(at: Date(), trigger: trigger, diagnostics: diagnostics.map(\.description))
            logger.error(
                "reload failed: the running policy stays",
                metadata: ["trigger": "\(trigger.rawValue)", "ruleset": "\(status.ruleset)"])
            logger.report(diagnostics)
            return .failed(diagnostics)
        }
        let (config, needRestart) = setup.config.applied(over: running.config)
        store.replace(with: ProxyRuntime(reloading: running, config: config, policies: setup.policies, hooks: hooks))
        // Calls in flight keep their connections; only the idle ones close.
        if let old = running.hooks, old !== hooks { old.close() }
        running.metrics.reloaded(success: true)

        let oldRuleset = status.ruleset
        var next = ReloadStatus(setup, at: Date())
        next.reloads = status.reloads + 1
        next.failedReloads = status.failedReloads
        next.needRestart = needRestart
        status = next
        watchedPaths = setup.watchedPaths
        // A reload may read other files (a new rule file, a new terms file).
        loaded = FileFingerprint(paths: watchedPaths)
        running.log?.reported(reloadFrom: oldRuleset, to: setup.ruleset, trigger: trigger)
        logger.info(
            "reloaded", metadata: ["trigger": "\(trigger.rawValue)", "old_ruleset": "\(oldRuleset)", "ruleset": "\(setup.ruleset)"])
        logger.report(diagnostics)
        for key in needRestart {
            logger.warning("`\(key)` changed: it takes effect after a restart; the running value stays")
        }
        return .reloaded(oldRuleset: oldRuleset, ruleset: setup.ruleset, needRestart: needRestart)
    }

    /// Reloads on SIGHUP and on file changes until graceful shutdown.
    public func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await _ in hangups { await self.reload(.signal) }
                }
                group.addTask { await self.watch() }
            }
        }
    }

    /// Looks at the watched files every `reload.interval_ms` and reloads once a change has
    /// held still for one interval (an editor or `kubectl cp` may be caught mid-write).
    private func watch() async {
        var pending: FileFingerprint?
        while !Task.isCancelled {
            let settings = store.current.config.reload
            do {
                try await Task.sleep(for: .milliseconds(settings.intervalMs))
            } catch {
                return
            }
            guard settings.watch else { continue }
            let now = FileFingerprint(paths: watchedPaths)
            guard now != loaded else {
                pending = nil
                continue
            }
            guard now == pending else {
                pending = now
                continue
            }
            pending = nil
            reload(.watch)
        }
    }
}
