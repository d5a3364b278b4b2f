import Foundation
import Testing

/// `outguard eval` as a user runs it: the table, the JSON, the CI thresholds and the
/// corpus mistakes it points at.
@Suite struct EvalCommandTests {
    static let rules = """
        pack: demo
        rules:
          - id: demo.email
            type: regex
            pattern: '[a-z]+@[a-z]+\\.[a-z]+'
          - id: demo.number
            type: regex
            pattern: '[0-9]{4}'
            action: log
          - id: demo.unused
            type: regex
            pattern: 'zqzq'
        """

    /// demo.email: 1 TP, 1 FN; demo.number: 1 TP, 1 FP; demo.unused: nothing.
    static let corpus = """
        {"text": "mail a@b.io", "expect": ["demo.email"]}
        {"text": "year 2024", "expect": []}
        {"text": "write to me", "expect": ["demo.email"]}

        {"text": "call 1234", "expect": ["demo.number"]}
        """

    static func run(_ arguments: [String], corpus: String = Self.corpus) throws -> (CLI.Result, URL) {
        let folder = try CLI.folder(["rules/demo.yaml": Self.rules, "c.jsonl": corpus])
        let paths = [
            "--rules", folder.appendingPathComponent("rules").path, "--corpus",
            folder.appendingPathComponent("c.jsonl").path,
        ]
        return (try CLI.run(["eval"] + paths + arguments), folder)
    }

    /// The cells of the table row that starts with `name`.
    static func row(_ name: String, in output: String) -> [String] {
        let line = output.split(separator: "\n").first { $0.hasPrefix(name + " ") }
        return line.map { $0.split(separator: " ").map(String.init) } ?? []
    }

    @Test func printsScoresPerRuleAndTheTotal() throws {
        let (result, folder) = try Self.run([])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("4 texts from \(folder.path)/c.jsonl; 3 rules\n"))
        #expect(Self.row("demo.email", in: result.stdout) == ["demo.email", "1", "0", "1", "1.000", "0.500", "0.667"])
        #expect(
            Self.row("demo.number", in: result.stdout) == ["demo.number", "1", "1", "0", "0.500", "1.000", "0.667"])
        #expect(
            Self.row("demo.unused", in: result.stdout).joined(separator: " ")
                == "demo.unused 0 0 0 — — — not in the corpus: no labels, no hits")
        #expect(Self.row("total", in: result.stdout) == ["total", "2", "1", "1", "0.667", "0.667", "0.667"])
        #expect(
            result.stdout.contains(
                "false positives (1):\n  \(folder.path)/c.jsonl:2  demo.number  matched \"2024\" in \"year 2024\"\n"))
        #expect(result.stdout.contains("misses (1):\n  \(folder.path)/c.jsonl:3  demo.email  \"write to me\"\n"))
    }

    @Test func thresholdsFailTheRunWithTheScoreBelowThem() throws {
        let (failing, _) = try Self.run(["--min-precision", "0.6"])
        #expect(failing.status == 1)
        #expect(
            failing.stderr.contains(
                "eval: rule demo.number: precision 0.500 is below --min-precision 0.600 (1 false positive)"),
            "\(failing.stderr)")
        let (recall, _) = try Self.run(["--min-recall", "0.7"])
        #expect(recall.status == 1)
        #expect(recall.stderr.contains("eval: rule demo.email: recall 0.500 is below --min-recall 0.700 (1 miss)"))
        #expect(recall.stderr.contains("eval: the total: recall 0.667 is below --min-recall 0.700 (1 miss)"))
        let (passing, _) = try Self.run(["--min-precision", "0.5", "--min-recall", "0.5"])
        #expect(passing.status == 0, "\(passing.stderr)")
        #expect(!passing.stderr.contains("eval:"))
        let (nonsense, _) = try Self.run(["--min-recall", "90"])
        #expect(nonsense.status != 0)
        #expect(nonsense.stderr.contains("--min-recall is a score from 0 to 1, like 0.95"))
    }

    @Test func jsonHasEveryCountAndNullForMissingScores() throws {
        let (result, _) = try Self.run(["--json", "--min-precision", "0.6"])
        #expect(result.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let rules = try #require(json["rules"] as? [[String: Any]])
        #expect(rules.map { $0["rule"] as? String } == ["demo.email", "demo.number", "demo.unused"])
        #expect(rules[0]["true_positives"] as? Int == 1 && rules[0]["false_negatives"] as? Int == 1)
        #expect(rules[0]["recall"] as? Double == 0.5)
        #expect(rules[2]["precision"] is NSNull)
        let total = try #require(json["total"] as? [String: Any])
        #expect(total["false_positives"] as? Int == 1)
        let falsePositives = try #require(json["false_positives"] as? [[String: Any]])
        #expect(falsePositives.first?["details"] as? [String] == ["2024"])
        #expect(falsePositives.first?["line"] as? Int == 2)
        #expect((json["failures"] as? [String])?.count == 1)
    }

    @Test func corpusMistakesArePointedAtByLine() throws {
        let corpus = """
            {"text": "mail a@b.io", "expect": ["demo.email"]}
            {"text": "no label"}
            not json
            {"text": "a string", "expect": "demo.email"}
            {"text": "typo", "expect": ["demo.emial"]}
            """
        let (result, folder) = try Self.run([], corpus: corpus)
        let file = folder.appendingPathComponent("c.jsonl").path
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "\(file):2: error: no `expect`\n    fix: write one object a line, like {\"text\": \"…\", \"expect\": [\"pii.email\"]}"
            ), "\(result.stderr)")
        #expect(result.stderr.contains("\(file):3: error: not JSON"))
        #expect(result.stderr.contains("\(file):4: error: `expect` has the wrong type"))
        #expect(
            result.stderr.contains(
                "\(file):5: warning: no loaded rule has id `demo.emial`; the label is ignored\n    fix: did you mean `demo.email`?"
            ))
        #expect(result.stderr.contains("eval: nothing scored"))
        #expect(result.stdout.isEmpty)
    }

    @Test func anUnknownLabelIsAWarningAndScoringGoesOn() throws {
        let corpus =
            Self.corpus
            + "\n{\"text\": \"x\", \"expect\": [\"other.rule\"]}\n{\"text\": \"y\", \"expect\": [\"other.rule\"]}"
        let (result, folder) = try Self.run([], corpus: corpus)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "\(folder.path)/c.jsonl:6: warning: no loaded rule has id `other.rule` (on 2 lines; this is the first)")
        )
        #expect(result.stderr.contains("fix: correct the id, or add the rule file that declares it to --rules"))
        #expect(result.stdout.hasPrefix("6 texts"))
    }

    @Test func packAndRuleFiltersNarrowTheScorecard() throws {
        let (narrowed, _) = try Self.run(["--rule", "demo.number", "--min-recall", "1"])
        #expect(narrowed.status == 0, "\(narrowed.stderr)")
        #expect(Self.row("total", in: narrowed.stdout) == ["total", "1", "1", "0", "0.500", "1.000", "0.667"])
        #expect(Self.row("demo.email", in: narrowed.stdout).isEmpty)
        let (unknown, _) = try Self.run(["--pack", "dmeo"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no loaded pack is called dmeo; did you mean demo?"))
    }
}
