import Foundation
import OutguardEngine
import OutguardLog
import Testing

@testable import OutguardCLI

/// `outguard replay`: the same captured responses under two rule sets, and what it says changed.
@Suite struct ReplayTests {
    static func regex(_ id: String, _ pattern: String, action: RuleAction = .redact) -> RuleDefinition {
        RuleDefinition(id: id, pack: "demo", matcher: .regex(pattern: pattern, flags: []), action: action)
    }

    static let oldRules = [
        regex("demo.email", "[a-z]+@[a-z]+\\.[a-z]+"),
        regex("demo.number", "[0-9]{4}"),
        RuleDefinition(id: "demo.word", pack: "demo", matcher: .lexicon(terms: ["darn"], exceptions: [])),
    ]

    /// The email pattern takes dots before the `@` too, numbers are blocked instead of
    /// redacted, the word rule is gone and a key rule is new.
    static let newRules = [
        regex("demo.email", "[a-z.]+@[a-z]+\\.[a-z]+"),
        regex("demo.number", "[0-9]{4}", action: .block),
        regex("demo.key", "sk-[a-z]+"),
    ]

    static func rules(_ definitions: [RuleDefinition], named: [String: [RuleDefinition]] = [:]) throws -> ReplayRules {
        ReplayRules(
            named: try named.mapValues { try Policy(rules: $0, ruleset: "sha256:named") },
            everyRule: try Policy(rules: definitions, ruleset: "sha256:all"))
    }

    static func response(_ id: String, _ texts: String..., policy: String = "default") -> CapturedResponse {
        CapturedResponse(
            requestID: id, policy: policy, ruleset: "sha256:old", provider: "openai.chat", model: "m", stream: false,
            hadFindings: true, segments: texts.enumerated().map { CapturedResponse.Segment(choice: $0, text: $1) })
    }

    static let traffic = [
        response("og-1", "mail j.doe@x.io"),
        response("og-2", "pin 1234"),
        response("og-3", "darn"),
        response("og-4", "key sk-abc"),
        response("og-5", "nothing"),
        response("og-6", "a@b.io", "darn 5678"),
    ]

    @Test func listsWhatNewlyFiresStopsChangesActionOrMatch() throws {
        let report = ReplayReport(
            responses: Self.traffic, old: try Self.rules(Self.oldRules), new: try Self.rules(Self.newRules))
        #expect(report.responses == 6)
        #expect(report.changed == 5)
        let enforce = { (action: RuleAction) in ReplayReport.Effect(action: action, mode: .enforce) }
        #expect(
            report.rules == [
                ReplayReport.RuleChanges(rule: "demo.email", changesMatch: ["og-1"]),
                ReplayReport.RuleChanges(rule: "demo.key", newlyFires: ["og-4"]),
                ReplayReport.RuleChanges(
                    rule: "demo.number",
                    changesAction: [
                        ReplayReport.ActionChange(requestID: "og-2", from: enforce(.redact), to: enforce(.block)),
                        ReplayReport.ActionChange(requestID: "og-6", from: enforce(.redact), to: enforce(.block)),
                    ]),
                ReplayReport.RuleChanges(rule: "demo.word", stopsFiring: ["og-3", "og-6"]),
            ])
    }

    @Test func theSameRulesChangeNothing() throws {
        let rules = try Self.rules(Self.oldRules)
        let report = ReplayReport(responses: Self.traffic, old: rules, new: rules)
        #expect(report.changed == 0 && report.rules.isEmpty)
        #expect(
            ReplayTable.lines(report, badLines: 1) == [
                "no rule fires differently", "replayed 6 responses (1 bad line skipped); 0 changed",
            ])
    }

    @Test func eachResponseRunsUnderItsPolicyOrTheOneGiven() throws {
        var shadowed = Self.oldRules
        for index in shadowed.indices { shadowed[index].mode = .shadow }
        let old = try Self.rules(Self.oldRules)
        let new = try Self.rules(Self.oldRules, named: ["support": shadowed])
        let traffic = [Self.response("og-7", "a@b.io", policy: "support"), Self.response("og-8", "a@b.io")]
        let shadowEmail = ReplayReport.ActionChange(
            requestID: "og-7", from: .init(action: .redact, mode: .enforce), to: .init(action: .redact, mode: .shadow))
        let own = ReplayReport(responses: traffic, old: old, new: new)
        #expect(own.rules == [ReplayReport.RuleChanges(rule: "demo.email", changesAction: [shadowEmail])])
        let given = ReplayReport(responses: traffic, old: old, new: new, policyName: "support")
        #expect(given.changed == 2)
        #expect(ReplayTable.lines(given, badLines: 0).contains("  changes action (redact → shadow redact): og-7, og-8"))
    }

    @Test func theTableShowsTenIdsARow() throws {
        let traffic = (1...12).map { Self.response("og-\($0)", "key sk-abc") }
        let report = ReplayReport(
            responses: traffic, old: try Self.rules(Self.oldRules), new: try Self.rules(Self.newRules))
        let lines = ReplayTable.lines(report, badLines: 0)
        #expect(
            lines.contains(
                "  newly fires: og-1, og-2, og-3, og-4, og-5, og-6, og-7, og-8, og-9, og-10, … (2 more; --json lists all)"
            ))
        #expect(lines.last == "replayed 12 responses; 12 changed")
    }

    // MARK: - The command

    /// The eval tests' demo pack (e-mail, a `log` number rule, an unused rule) …
    static let oldFile = EvalCommandTests.rules

    /// … with the number rule blocking and a key rule added.
    static let newFile =
        oldFile.replacingOccurrences(of: "action: log", with: "action: block") + """

              - id: demo.key
                type: regex
                pattern: 'sk-[a-z]+'
            """

    static func line(_ id: String, _ text: String, ts: String = "2026-11-29T07:00:00.123Z") -> String {
        #"{"ts":"\#(ts)","request_id":"\#(id)","policy":"default","ruleset":"sha256:x","provider":"openai.chat","model":"m","stream":false,"had_findings":true,"segments":[{"choice":0,"field":"text","text":"\#(text)"}]}"#
    }

    /// A config whose rules are the old ones, a capture file with two bad lines, and the file
    /// it was rotated into.
    static func setUp() throws -> URL {
        try CLI.folder([
            "outguard.yaml": "rules: [old/]\npolicies:\n  default: {packs: [demo]}\n",
            "old/demo.yaml": oldFile,
            "new/demo.yaml": newFile,
            "var/x.capture.jsonl": [
                line("og-2", "pin 1234"), "{\"ts\": \"2026-11-29T07:00:01.000Z\"", line("og-3", "mail a@b.io"),
                line("og-4", "key sk-abc", ts: "2026-11-29T07:00:02Z"), line("og-5", "x", ts: "yesterday"),
            ].joined(separator: "\n") + "\n",
            "var/x.capture.jsonl.1": line("og-1", "key sk-def") + "\n",
        ])
    }

    @Test func againstDefaultsToTheConfigsRulesAndBadLinesAreCounted() throws {
        let folder = try Self.setUp()
        let capture = folder.appendingPathComponent("var/x.capture.jsonl").path
        let result = try CLI.run([
            "replay", "--capture", capture, "--rules", folder.appendingPathComponent("new").path,
            "--config", folder.appendingPathComponent("outguard.yaml").path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("old: \(folder.path)/old/ (the config's rules) sha256:"), "\(result.stdout)")
        #expect(result.stdout.contains("  newly fires: og-1, og-4\n"))
        #expect(result.stdout.contains("  changes action (log → block): og-2\n"))
        #expect(result.stdout.hasSuffix("replayed 4 responses (2 bad lines skipped); 3 changed\n"))
        #expect(
            result.stderr.contains("\(capture):2: warning: not JSON, or not one JSON object on one line"),
            "\(result.stderr)")
        #expect(
            result.stderr.contains("\(capture):5: warning: `ts`: not an ISO 8601 time like 2026-11-29T07:00:00.123Z"))
        #expect(result.stderr.contains("fix: the line is skipped"))
    }

    @Test func jsonListsEveryIdAndGlobsReadRotatedFilesOnce() throws {
        let folder = try Self.setUp()
        let result = try CLI.run([
            "replay", "--capture", folder.path + "/var/*.capture.jsonl*", "--rules", folder.path + "/new",
            "--against", folder.path + "/old", "--config", folder.path + "/outguard.yaml", "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["responses"] as? Int == 4)
        #expect(json["bad_lines"] as? Int == 2)
        let rules = try #require(json["rules"] as? [[String: Any]])
        #expect(rules.map { $0["rule"] as? String } == ["demo.key", "demo.number"])
        #expect(rules[0]["newly_fires"] as? [String] == ["og-1", "og-4"])
        let change = try #require((rules[1]["changes_action"] as? [[String: Any]])?.first)
        #expect(change["request_id"] as? String == "og-2")
        #expect(change["to"] as? [String: String] == ["action": "block", "mode": "enforce"])
    }

    @Test func aBadLineSaysWhichValueIsWrong() throws {
        let noText = Self.line("og-1", "x").replacingOccurrences(of: #","text":"x""#, with: "")
        let folder = try CLI.folder(["c.jsonl": noText + "\n\n" + Self.line("og-2", "y")])
        let reader = CaptureReader(files: [folder.path + "/c.jsonl"])
        #expect(reader.responses.map(\.requestID) == ["og-2"])
        #expect(reader.problems.map { "\($0.line): \($0.message)" } == ["1: no `segments[0].text`"])
    }

    @Test func mistakesInTheArgumentsAreClear() throws {
        let folder = try Self.setUp()
        let common = ["replay", "--rules", folder.path + "/new", "--config", folder.path + "/outguard.yaml"]
        let policy = try CLI.run(common + ["--capture", folder.path + "/var/x.capture.jsonl", "--policy", "defualt"])
        #expect(policy.status != 0)
        #expect(policy.stderr.contains("no policy is called defualt; did you mean default?"), "\(policy.stderr)")
        let missing = try CLI.run(common + ["--capture", folder.path + "/var/nothing-*.jsonl"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("no file matches \(folder.path)/var/nothing-*.jsonl; check the capture path"))
    }
}
