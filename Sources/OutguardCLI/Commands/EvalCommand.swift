import ArgumentParser
import OutguardConfig

/// `outguard eval`: scores the rules on a labelled corpus, for rule authors and for CI.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score rules on a labelled corpus: precision, recall and F1 per rule.",
        discussion: """
            Each line of a corpus file is {"text": "…", "expect": ["pii.email"]}: the
            rules that must fire on the text ("expect": [] for a text on which none may
            fire). A rule counts once per text. Every finding counts, whatever the
            rule's action and mode: a log or shadow rule's hits are what reviewers read
            and what it will enforce later. Labels of rules that are loaded but not
            scored (another --pack, a disabled rule) are ignored; labels no loaded rule
            has are a warning.

            --min-precision is checked for each rule that fired and for the total,
            --min-recall for each rule with labelled texts and for the total; a score
            below either exits 1, which is what CI wants.

            Examples:
              outguard eval --rules rules/ --corpus corpus/labelled.jsonl
              outguard eval --corpus corpus/labelled.jsonl --pack pii --json
              outguard eval --corpus corpus/labelled.jsonl --min-precision 0.95 --min-recall 0.9
            """)

    @Option(parsing: .upToNextOption, help: "Rule files or folders.")
    var rules: [String] = ["rules"]

    @Option(parsing: .upToNextOption, help: "Labelled corpus files (JSONL).")
    var corpus: [String]

    @Option(name: .customLong("pack"), help: "Score only the rules of this pack (repeatable).")
    var packs: [String] = []

    @Option(name: .customLong("rule"), help: "Score only this rule id (repeatable).")
    var ruleIDs: [String] = []

    @Option(name: .customLong("min-precision"), help: "Exit 1 when a precision is below this (0 to 1).")
    var minPrecision: Double?

    @Option(name: .customLong("min-recall"), help: "Exit 1 when a recall is below this (0 to 1).")
    var minRecall: Double?

    @Flag(help: "Print the scorecard as JSON.")
    var json = false

    func validate() throws {
        for (flag, value) in [("--min-precision", minPrecision), ("--min-recall", minRecall)] {
            if let value, !(0...1).contains(value) {
                throw ValidationError("\(flag) is a score from 0 to 1, like 0.95; \(value) is not")
            }
        }
    }

    func run() throws {
        guard let loaded = RuleLoading.load(rules) else { throw ExitCode.failure }
        let scored = try scoredRules(loaded.ruleSet)
        let labelled = Corpus(paths: corpus)
        let known = Set(loaded.ruleSet.rules.map(\.definition.id))
        for problem in labelled.problems + labelled.unknownRules(known: known) { Terminal.error(problem.description) }
        guard labelled.problems.isEmpty else {
            Terminal.error("eval: nothing scored, since a corpus line with an error would skew every score")
            throw ExitCode.failure
        }
        guard !labelled.examples.isEmpty else {
            throw ValidationError("\(corpus.joined(separator: ", ")) holds no texts; each line is one labelled text")
        }

        let scorecard = Scorecard(policy: loaded.policy, examples: labelled.examples, scoring: scored)
        let failures = ScoreThresholds(minPrecision: minPrecision, minRecall: minRecall).failures(in: scorecard)
        if json {
            Terminal.print(try ScorecardJSON.encode(scorecard, failures: failures))
        } else {
            ScorecardTable.lines(scorecard, corpus: corpus).forEach(Terminal.print)
        }
        for failure in failures { Terminal.error("eval: \(failure)") }
        if !failures.isEmpty { throw ExitCode.failure }
    }

    /// The rule ids `--pack` and `--rule` select; nil scores every rule.
    private func scoredRules(_ ruleSet: RuleSet) throws -> Set<String>? {
        guard !packs.isEmpty || !ruleIDs.isEmpty else { return nil }
        try Self.check(packs, among: Set(ruleSet.files.map(\.pack)), noun: "pack")
        try Self.check(ruleIDs, among: Set(ruleSet.rules.map(\.definition.id)), noun: "rule")
        for rule in ruleSet.rules where !rule.enabled && ruleIDs.contains(rule.definition.id) {
            throw ValidationError(
                "rule \(rule.definition.id) is disabled (`enabled: false` in \(rule.file)); enable it to score it")
        }
        let selected = ruleSet.enabledRules.map(\.definition).filter { rule in
            (packs.isEmpty || packs.contains(rule.pack)) && (ruleIDs.isEmpty || ruleIDs.contains(rule.id))
        }
        guard !selected.isEmpty else {
            throw ValidationError("no enabled rule is in the packs and ids given; leave out --pack or --rule")
        }
        return Set(selected.map(\.id))
    }

    private static func check(_ names: [String], among known: Set<String>, noun: String) throws {
        for name in names where !known.contains(name) {
            let hint = Suggestion.closest(to: name, among: known.sorted()).map { "; did you mean \($0)?" } ?? ""
            throw ValidationError("no loaded \(noun) is called \(name)\(hint)")
        }
    }
}
