import Hummingbird
import OutguardLog
import OutguardProxy

/// The routes an orchestrator and an on-call engineer use: readiness, the policy in force,
/// and reload.
struct OperationsRoutes {
    let daemon: RunningDaemon
    /// The violation log's writer, whose health `/readyz` reports.
    let log: LogWriter<LogRecord>?

    /// Outcome of `POST /admin/reload`.
    private struct ReloadAnswer: Encodable {
        var reloaded: Bool
        var oldRuleset: String?
        var ruleset: String?
        var needRestart: [String]?
        var diagnostics: [String]?
    }

    func add(to router: Router<some RequestContext>) {
        router.get("/readyz") { _, _ in
            let readiness = await Readiness.check(daemon, log: log)
            return AdminJSON.response(readiness, status: readiness.ready ? .ok : .serviceUnavailable)
        }
        router.get("/admin/policy") { _, _ in
            AdminJSON.response(await PolicyReport.current(daemon))
        }
        router.post("/admin/reload") { _, _ in
            switch await daemon.reloader.reload(.admin) {
            case .reloaded(let oldRuleset, let ruleset, let needRestart):
                return AdminJSON.response(
                    ReloadAnswer(reloaded: true, oldRuleset: oldRuleset, ruleset: ruleset, needRestart: needRestart))
            case .failed(let diagnostics):
                // The request was fine; the files it made the daemon read are not.
                return AdminJSON.response(
                    ReloadAnswer(reloaded: false, diagnostics: diagnostics.map(\.description)),
                    status: .unprocessableContent)
            }
        }
    }
}
