import Foundation
import OutguardConfig
import OutguardEngine
import OutguardProxy

/// `GET /admin/policy`: what serves new requests now, and how the reloads went.
struct PolicyReport: Encodable {
    struct Policy: Encodable {
        var name: String
        var packs: [String]
        var rules: [Rule]
        var scanToolArguments: Bool
    }

    /// A rule as its policy applies it: the mode is the policy's override when it has one.
    struct Rule: Encodable {
        var id: String
        var pack: String
        var action: String
        var mode: String
        var severity: String
    }

    struct Failure: Encodable {
        var at: Date
        var trigger: String
        var diagnostics: [String]
    }

    var ruleset: String
    var loadedAt: Date
    var reloads: Int
    var failedReloads: Int
    /// The newest failed reload, until one succeeds.
    var lastFailure: Failure?
    var needRestart: [String]
    var policies: [Policy]

    static func current(_ daemon: RunningDaemon) async -> PolicyReport {
        let status = await daemon.reloader.status
        let policies = daemon.store.current.policies.values.sorted { $0.name < $1.name }.map { entry in
            let rules = entry.policy.rules.map {
                Rule(
                    id: $0.id, pack: $0.pack, action: $0.action.rawValue, mode: $0.mode.rawValue,
                    severity: $0.severity.rawValue)
            }
            var packs: [String] = []
            for rule in rules where !packs.contains(rule.pack) { packs.append(rule.pack) }
            return Policy(name: entry.name, packs: packs, rules: rules, scanToolArguments: entry.scanToolArguments)
        }
        return PolicyReport(
            ruleset: status.ruleset, loadedAt: status.loadedAt, reloads: status.reloads,
            failedReloads: status.failedReloads,
            lastFailure: status.failure.map {
                Failure(at: $0.at, trigger: $0.trigger.rawValue, diagnostics: $0.diagnostics)
            },
            needRestart: status.needRestart, policies: policies)
    }
}
