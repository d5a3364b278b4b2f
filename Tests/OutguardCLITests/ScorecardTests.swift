import OutguardEngine
import Testing

@testable import OutguardCLI

/// The numbers `outguard eval` reports, on a small corpus whose every count is worked out by hand.
@Suite struct ScorecardTests {
    static func policy() throws -> Policy {
        let rules = [
            RuleDefinition(
                id: "demo.email", pack: "demo", matcher: .regex(pattern: "[a-z]+@[a-z]+\\.[a-z]+", flags: [])),
            // A log rule and a shadow rule: eval scores what rules find, whatever they do about it.
            RuleDefinition(
                id: "demo.number", pack: "demo", matcher: .regex(pattern: "[0-9]{4}", flags: []), action: .log),
            RuleDefinition(
                id: "demo.word", pack: "demo", matcher: .lexicon(terms: ["darn"], exceptions: []), action: .block,
                mode: .shadow),
            RuleDefinition(id: "demo.unused", pack: "demo", matcher: .regex(pattern: "zqzq", flags: [])),
        ]
        return try Policy(rules: rules, ruleset: "sha256:test")
    }

    static let corpus: [LabelledExample] = [
        ("mail a@b.io", ["demo.email"]),  // email TP
        ("call 1234 now", ["demo.number"]),  // number TP
        ("year 2024 was fine", []),  // number FP
        ("write to me at home", ["demo.email"]),  // email FN
        ("darn, a@b.io and 5678", ["demo.email", "demo.word"]),  // email TP, word TP, number FP
        ("nothing here", []),
        ("darn it", []),  // word FP
        ("x@y.io 1111", ["demo.email", "demo.number", "other.rule"]),  // email TP, number TP; other.rule not scored
    ].enumerated().map { index, example in
        LabelledExample(text: example.0, expected: Set(example.1), file: "c.jsonl", line: index + 1)
    }

    static func tally(_ truePositives: Int, _ falsePositives: Int, _ falseNegatives: Int) -> Scorecard.Tally {
        Scorecard.Tally(truePositives: truePositives, falsePositives: falsePositives, falseNegatives: falseNegatives)
    }

    @Test func countsEachRuleOncePerText() throws {
        let scorecard = Scorecard(policy: try Self.policy(), examples: Self.corpus)
        #expect(scorecard.texts == 8)
        #expect(scorecard.rules.map(\.rule) == ["demo.email", "demo.number", "demo.word", "demo.unused"])
        #expect(
            scorecard.rules.map(\.tally) == [
                Self.tally(3, 0, 1), Self.tally(2, 2, 0), Self.tally(1, 1, 0), Self.tally(0, 0, 0),
            ])
        #expect(scorecard.total == Self.tally(6, 3, 1))
    }

    @Test func precisionRecallAndF1() throws {
        let scorecard = Scorecard(policy: try Self.policy(), examples: Self.corpus)
        let email = scorecard.rules[0].tally
        #expect(email.precision == 1)
        #expect(email.recall == 0.75)
        #expect(try #require(email.f1) == 6.0 / 7.0)
        let number = scorecard.rules[1].tally
        #expect(number.precision == 0.5)
        #expect(number.recall == 1)
        #expect(try #require(number.f1) == 4.0 / 6.0)
        #expect(scorecard.total.precision == 6.0 / 9.0)
        #expect(scorecard.total.recall == 6.0 / 7.0)
        #expect(scorecard.total.f1 == 0.75)
    }

    @Test func aRuleTheCorpusSaysNothingAboutHasNoScores() throws {
        let unused = Scorecard(policy: try Self.policy(), examples: Self.corpus).rules[3].tally
        #expect(unused.isEmpty)
        #expect(unused.precision == nil && unused.recall == nil && unused.f1 == nil)
        // Labelled texts and no hits: nothing to be precise about, but nothing found either.
        let silent = Self.tally(0, 0, 2)
        #expect(silent.precision == nil && silent.recall == 0 && silent.f1 == 0)
    }

    @Test func listsFalsePositivesWithTheirMatchesAndMissesByRule() throws {
        let scorecard = Scorecard(policy: try Self.policy(), examples: Self.corpus)
        #expect(
            scorecard.falsePositives.map { "\($0.rule) \($0.example.line) \($0.details)" } == [
                "demo.number 3 [\"2024\"]", "demo.number 5 [\"5678\"]", "demo.word 7 [\"darn\"]",
            ])
        #expect(scorecard.falsePositives.map(\.firstMatch) == [5, 17, 0])
        #expect(scorecard.misses.map { "\($0.rule) \($0.example.place)" } == ["demo.email c.jsonl:4"])
    }

    @Test func scoresOnlyTheSelectedRules() throws {
        let scorecard = Scorecard(policy: try Self.policy(), examples: Self.corpus, scoring: ["demo.number"])
        #expect(scorecard.rules.map(\.rule) == ["demo.number"])
        #expect(scorecard.total == Self.tally(2, 2, 0))
        #expect(scorecard.misses.isEmpty)
        #expect(scorecard.falsePositives.count == 2)
    }

    @Test func aRuleThatCannotDecideIsListedAndCountsAsNotFired() throws {
        var limits = EngineLimits()
        limits.regexMatchLimit = 10_000
        let evil = RuleDefinition(id: "demo.redos", pack: "demo", matcher: .regex(pattern: "(a+)+b", flags: []))
        let policy = try Policy(rules: [evil], ruleset: "sha256:test", limits: limits)
        let text = String(repeating: "a", count: 40) + "c aab!"
        let example = LabelledExample(text: text, expected: ["demo.redos"], file: "c.jsonl", line: 1)
        let scorecard = Scorecard(policy: policy, examples: [example])
        #expect(scorecard.total == Self.tally(0, 0, 1))
        #expect(scorecard.undecided.map(\.rule) == ["demo.redos"])
    }

    @Test func thresholdsCheckRulesWithHitsOrLabelsAndTheTotal() throws {
        let scorecard = Scorecard(policy: try Self.policy(), examples: Self.corpus)
        let precision = ScoreThresholds(minPrecision: 0.6).failures(in: scorecard)
        #expect(
            precision == [
                "rule demo.number: precision 0.500 is below --min-precision 0.600 (2 false positives)",
                "rule demo.word: precision 0.500 is below --min-precision 0.600 (1 false positive)",
            ])
        let recall = ScoreThresholds(minRecall: 0.8).failures(in: scorecard)
        #expect(recall == ["rule demo.email: recall 0.750 is below --min-recall 0.800 (1 miss)"])
        let total = ScoreThresholds(minPrecision: 0.5, minRecall: 0.9).failures(in: scorecard)
        #expect(
            total == [
                "rule demo.email: recall 0.750 is below --min-recall 0.900 (1 miss)",
                "the total: recall 0.857 is below --min-recall 0.900 (1 miss)",
            ])
        #expect(ScoreThresholds(minPrecision: 0.5, minRecall: 0.75).failures(in: scorecard).isEmpty)
    }
}
