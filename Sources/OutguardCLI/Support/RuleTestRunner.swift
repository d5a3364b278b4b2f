import OutguardConfig
import OutguardEngine

/// Runs one rule's own tests against the real engine.
enum RuleTestRunner {
    enum Status: Equatable {
        case passed
        case failed([String])
        case untested(String)
    }

    struct Report {
        var status: Status
        var caseCount: Int
    }

    static func run(_ rule: LoadedRule, ruleset: String) -> Report {
        let tests = rule.tests
        let caseCount = tests.match.count + tests.noMatch.count + tests.rewrite.count
        if case .classifier = rule.definition.matcher {
            return Report(status: .untested("classifier rules are decided by their hook, not by examples"), caseCount: 0)
        }
        guard caseCount > 0 else { return Report(status: .untested("no tests"), caseCount: 0) }
        // Alone and enforced: the examples show what this rule does, whatever the
        // other rules or its own shadow mode.
        var definition = rule.definition
        definition.mode = .enforce
        let policy: Policy
        do {
            policy = try Policy(rules: [definition], ruleset: ruleset)
        } catch {
            return Report(status: .failed(error.problems.map(\.message)), caseCount: caseCount)
        }
        var failures: [String] = []
        for example in tests.match where !fires(policy.evaluate(example.text), rule: definition.id) {
            failures.append("\(example.location.description): match: did not fire on \(quoted(example.text))")
        }
        for example in tests.noMatch {
            let verdict = policy.evaluate(example.text)
            if fires(verdict, rule: definition.id) {
                let matched = verdict.findings.map { quoted($0.matchedText) }.joined(separator: ", ")
                failures.append("\(example.location.description): no_match: fired on \(matched) in \(quoted(example.text))")
            }
        }
        for example in tests.rewrite {
            let verdict = policy.evaluate(example.input)
            if verdict.shownText != example.output {
                failures.append(
                    "\(example.location.description): rewrite: expected \(quoted(example.output)), got \(quoted(verdict.shownText))")
            }
        }
        return Report(status: failures.isEmpty ? .passed : .failed(failures), caseCount: caseCount)
    }

    private static func fires(_ verdict: Verdict, rule id: String) -> Bool {
        verdict.findings.contains { $0.ruleID == id && $0.kind == .match }
    }

    private static func quoted(_ text: String) -> String {
        String(reflecting: text)
    }
}
