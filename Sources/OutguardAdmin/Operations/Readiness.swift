import Foundation
import OutguardLog
import OutguardProxy

/// `/readyz`: whether this sidecar should get traffic, check by check with the reason, so
/// an on-call engineer reads the cause in the probe's answer.
struct Readiness: Encodable {
    struct Check: Encodable {
        enum Status: String, Encodable {
            case ok
            /// Worth a look, but the daemon serves correctly: a failed reload (the policy
            /// before it still serves) or settings waiting for a restart.
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
        // Hooks (classifier rules) join these once the daemon has them.
        let checks = [
            Check(
                name: "policy", status: .ok,
                reason: "ruleset \(status.ruleset) loaded at \(AdminJSON.timestamp(status.loadedAt)); "
                    + "policies: \(runtime.policies.keys.sorted().joined(separator: ", "))"),
            reload(status),
            await upstream(runtime.upstreamHealth),
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
