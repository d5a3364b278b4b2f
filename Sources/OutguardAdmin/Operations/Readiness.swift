import Foundation
import OutguardHooks
import OutguardLog
import OutguardProxy

/// `/readyz`: whether this sidecar should get traffic, check by check with the reason, so
/// an on-call engineer reads the cause in the probe's answer.
struct Readiness: Encodable {
    struct Check: Encodable {
        enum Status: String, Encodable {
            case ok
            /// Worth a look, but the daemon serves correctly: a failed reload (the policy
            /// before it still serves), settings waiting for a restart, or a classifier
            /// hook that does not answer (its `on_error` decides meanwhile).
            case warn
            /// Not ready: requests would fail or their findings would be lost.
            case fail
        }

        var name: String
        var status: Status
        var reason: String
    }

    var ready: Bool
    var checks: [Check]

    static func check(_ daemon: RunningDaemon, log: LogWriter<LogRecord>?) async -> Readiness {
        let status = await daemon.reloader.status
        let runtime = daemon.store.current
        let checks = [
            Check(
                name: "policy", status: .ok,
                reason: "ruleset \(status.ruleset) loaded at \(AdminJSON.timestamp(status.loadedAt)); "
                    + "policies: \(runtime.policies.keys.sorted().joined(separator: ", "))"),
            reload(status),
            await upstream(runtime.upstreamHealth),
            await hooks(runtime.hooks),
            logCheck(log?.stats),
        ]
        return Readiness(ready: !checks.contains { $0.status == .fail }, checks: checks)
    }

    private static func reload(_ status: ReloadStatus) -> Check {
        if let failure = status.failure {
            let first = failure.diagnostics.first ?? "no diagnostics"
            let more = failure.diagnostics.count > 1 ? " (and \(failure.diagnostics.count - 1) more)" : ""
            return Check(
                name: "reload", status: .warn,
                reason: "the \(failure.trigger.rawValue) reload at \(AdminJSON.timestamp(failure.at)) failed, "
                    + "the policy before it still serves: \(first)\(more)")
        }
        if !status.needRestart.isEmpty {
            return Check(
                name: "reload", status: .warn,
                reason: "changed settings wait for a restart: \(status.needRestart.joined(separator: ", "))")
        }
        let reloads = status.reloads == 1 ? "1 reload" : "\(status.reloads) reloads"
        return Check(name: "reload", status: .ok, reason: "\(reloads), \(status.failedReloads) failed")
    }

    private static func upstream(_ health: UpstreamHealth?) async -> Check {
        guard let health else { return Check(name: "upstream", status: .ok, reason: "the built-in mock:echo") }
        var state = health.current
        if case .unreachable = state { state = await health.probe() }
        switch state {
        case .notTried:
            return Check(name: "upstream", status: .ok, reason: "\(health.address): not tried yet")
        case .reachable(let at):
            return Check(
                name: "upstream", status: .ok, reason: "\(health.address): connected at \(AdminJSON.timestamp(at))")
        case .unreachable(let at, let reason):
            return Check(
                name: "upstream", status: .fail,
                reason: "\(health.address): cannot connect (\(reason)) at \(AdminJSON.timestamp(at))")
        }
    }

    /// Never `fail`: a hook that does not answer changes what its rules decide (its
    /// `on_error`), not whether requests are served. Like the upstream, a hook whose
    /// latest call failed is probed again, so that it is seen to come back.
    private static func hooks(_ hooks: Hooks?) async -> Check {
        guard let hooks else { return Check(name: "hooks", status: .ok, reason: "no classifier hooks") }
        await hooks.reprobeUnreachable()
        let states = hooks.clients.values.sorted { $0.name < $1.name }.map(hookState)
        return Check(
            name: "hooks", status: states.contains { $0.troubled } ? .warn : .ok,
            reason: states.map(\.text).joined(separator: "; "))
    }

    private static func hookState(_ client: HookClient) -> (text: String, troubled: Bool) {
        let place = "\(client.name) at \(client.definition.url)"
        let fallback = "its rules follow on_error: \(client.definition.onError.rawValue)"
        let breakerOpen = client.counters.breakerOpen
        switch client.health {
        case .notTried:
            return ("\(client.name): not tried yet", false)
        case .reachable(let at) where !breakerOpen:
            return ("\(client.name): reachable at \(AdminJSON.timestamp(at))", false)
        case .reachable(let at):
            return (
                "\(place): breaker open after repeated failures, though it answered at \(AdminJSON.timestamp(at)); "
                    + "\(fallback) until a call gets through", true
            )
        case .unreachable(let at, let reason):
            let breaker = breakerOpen ? ", breaker open" : ""
            return ("\(place): does not answer (\(reason)) at \(AdminJSON.timestamp(at))\(breaker); \(fallback)", true)
        }
    }

    private static func logCheck(_ stats: LogWriterStats?) -> Check {
        guard let stats else { return Check(name: "log", status: .ok, reason: "no log.path: nothing is logged") }
        if let failure = stats.failure {
            return Check(
                name: "log", status: .fail,
                reason: "the disk refuses records (\(failure)); \(stats.lost) lost so far")
        }
        return Check(
            name: "log", status: .ok,
            reason: "writable: \(stats.written) records written, \(stats.queueDepth) queued, "
                + "\(stats.dropped) dropped, \(stats.lost) lost")
    }
}
