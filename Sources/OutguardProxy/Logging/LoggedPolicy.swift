import OutguardConfig
import OutguardEngine
import OutguardLog

/// A policy as its log records name it, with the members they repeat encoded once, when
/// the policy is put in force, instead of on every line: `policy` and `ruleset`, and each
/// rule's `pack`, `rule`, `action`, `mode` and `severity`. Encoding a rule's five members
/// was a tenth of logging a response with three findings.
///
/// A class: a response takes a reference to it, not a copy of its table.
final class LoggedPolicy: Sendable {
    let name: String
    /// The `sha256:…` of the rules the policy was compiled from.
    let ruleset: String
    /// `policy`, `ruleset`.
    let members: JSONMembers
    private let rules: [String: LoggedRule]

    private struct LoggedRule: Sendable {
        let pack: String
        let action: RuleAction
        let mode: RuleMode
        let severity: Severity
        /// `pack`, `rule`, `action`, `mode`, `severity`.
        let members: JSONMembers

        /// Whether `finding` reads as this rule: it was made from it.
        func reads(as finding: Finding) -> Bool {
            action == finding.action && mode == finding.mode && severity == finding.severity && pack == finding.pack
        }
    }

    init(name: String, ruleset: String, rules: [RuleDefinition]) {
        self.name = name
        self.ruleset = ruleset
        members = JSONLine.members { LogRecord.writePolicy(policy: name, ruleset: ruleset, into: &$0) }
        let rules = rules.map { rule in
            let members = JSONLine.members { line in
                LogRecord.writeRule(
                    pack: rule.pack, rule: rule.id, action: rule.action.rawValue, mode: rule.mode.rawValue,
                    severity: rule.severity.rawValue, into: &line)
            }
            let logged = LoggedRule(
                pack: rule.pack, action: rule.action, mode: rule.mode, severity: rule.severity, members: members)
            return (rule.id, logged)
        }
        // Rule ids are unique within a policy (`outguard lint` says so); the first one wins otherwise.
        self.rules = Dictionary(rules) { first, _ in first }
    }

    convenience init(_ entry: PolicyEntry) {
        self.init(name: entry.name, ruleset: entry.policy.ruleset, rules: entry.policy.rules)
    }

    /// Writes `finding`'s `pack`, `rule`, `action`, `mode`, `severity`: copied when it reads
    /// as its rule in this policy (every finding of the policy's rules), encoded now when
    /// not (the proxy's own, such as `outguard.malformed`).
    func writeRule(of finding: Finding, into line: inout JSONLine) {
        if let rule = rules[finding.ruleID], rule.reads(as: finding) {
            line.members(rule.members)
        } else {
            LogRecord.writeRule(
                pack: finding.pack, rule: finding.ruleID, action: finding.action.rawValue,
                mode: finding.mode.rawValue, severity: finding.severity.rawValue, into: &line)
        }
    }
}
