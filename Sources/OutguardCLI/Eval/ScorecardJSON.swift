/// The scorecard as `outguard eval --json` prints it: every count and score, and every
/// mistake with its whole text, for scripts and dashboards. Scores without a value
/// (a rule that never fired has no precision) are `null`.
struct ScorecardJSON: Encodable {
    struct Scores: Encodable {
        var truePositives: Int
        var falsePositives: Int
        var falseNegatives: Int
        var precision: Double?
        var recall: Double?
        var f1: Double?

        init(_ tally: Scorecard.Tally) {
            truePositives = tally.truePositives
            falsePositives = tally.falsePositives
            falseNegatives = tally.falseNegatives
            precision = tally.precision
            recall = tally.recall
            f1 = tally.f1
        }

        enum CodingKeys: String, CodingKey {
            case truePositives = "true_positives"
            case falsePositives = "false_positives"
            case falseNegatives = "false_negatives"
            case precision, recall, f1
        }

        // Written by hand so that a missing score is `null`, not an absent key.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(truePositives, forKey: .truePositives)
            try container.encode(falsePositives, forKey: .falsePositives)
            try container.encode(falseNegatives, forKey: .falseNegatives)
            try container.encode(precision, forKey: .precision)
            try container.encode(recall, forKey: .recall)
            try container.encode(f1, forKey: .f1)
        }
    }

    /// A rule's name and pack beside its scores, in one flat object.
    struct RuleScores: Encodable {
        var rule: String
        var pack: String
        var scores: Scores

        enum CodingKeys: String, CodingKey { case rule, pack }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(rule, forKey: .rule)
            try container.encode(pack, forKey: .pack)
            try scores.encode(to: encoder)
        }
    }

    struct Mistake: Encodable {
        var file: String
        var line: Int
        var rule: String
        var text: String
        /// False positives: what the rule matched; undecided: what went wrong.
        var details: [String]?
    }

    var texts: Int
    var rules: [RuleScores]
    var total: Scores
    var falsePositives: [Mistake]
    var misses: [Mistake]
    var undecided: [Mistake]
    /// What `--min-precision` and `--min-recall` refused; empty when the run passes.
    var failures: [String]

    enum CodingKeys: String, CodingKey {
        case texts, rules, total
        case falsePositives = "false_positives"
        case misses, undecided, failures
    }

    static func encode(_ scorecard: Scorecard, failures: [String]) throws -> String {
        let mistake = { (mistake: Scorecard.Mistake, details: Bool) in
            Mistake(
                file: mistake.example.file, line: mistake.example.line, rule: mistake.rule, text: mistake.example.text,
                details: details ? mistake.details : nil)
        }
        let value = ScorecardJSON(
            texts: scorecard.texts,
            rules: scorecard.rules.map { RuleScores(rule: $0.rule, pack: $0.pack, scores: Scores($0.tally)) },
            total: Scores(scorecard.total),
            falsePositives: scorecard.falsePositives.map { mistake($0, true) },
            misses: scorecard.misses.map { mistake($0, false) },
            undecided: scorecard.undecided.map { mistake($0, true) },
            failures: failures)
        return try PrettyJSON.string(value)
    }
}
