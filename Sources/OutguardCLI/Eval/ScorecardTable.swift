import Foundation

/// The scorecard as `outguard eval` prints it: a row per rule and the total, then every
/// false positive and miss with the text it happened on.
enum ScorecardTable {
    static func lines(_ scorecard: Scorecard, corpus: [String]) -> [String] {
        var table = TextTable([
            .init(title: "rule", alignment: .left), .init(title: "TP", alignment: .right),
            .init(title: "FP", alignment: .right), .init(title: "FN", alignment: .right),
            .init(title: "precision", alignment: .right), .init(title: "recall", alignment: .right),
            .init(title: "F1", alignment: .right), .init(title: "", alignment: .left),
        ])
        for score in scorecard.rules {
            table.append(
                cells(score.rule, score.tally) + (score.tally.isEmpty ? ["not in the corpus: no labels, no hits"] : []))
        }
        table.append(cells("total", scorecard.total))
        var lines = ["\(scorecard.texts) texts from \(corpus.joined(separator: ", ")); \(scorecard.rules.count) rules"]
        lines += table.lines
        lines += listing("false positives", scorecard.falsePositives) { mistake in
            "matched " + mistake.details.map { String(reflecting: $0) }.joined(separator: ", ") + " in "
        }
        lines += listing("misses", scorecard.misses) { _ in "" }
        if !scorecard.undecided.isEmpty {
            lines += listing("could not decide (counted as not fired)", scorecard.undecided) { mistake in
                mistake.details.joined(separator: "; ") + " in "
            }
        }
        return lines
    }

    /// A score with three decimals, or `—` when there is none.
    static func score(_ value: Double?) -> String {
        value.map { String(format: "%.3f", $0) } ?? "—"
    }

    private static func cells(_ name: String, _ tally: Scorecard.Tally) -> [String] {
        [
            name, "\(tally.truePositives)", "\(tally.falsePositives)", "\(tally.falseNegatives)",
            score(tally.precision), score(tally.recall), score(tally.f1),
        ]
    }

    private static func listing(
        _ title: String, _ mistakes: [Scorecard.Mistake], what: (Scorecard.Mistake) -> String
    ) -> [String] {
        guard !mistakes.isEmpty else { return ["", "\(title): none"] }
        return ["", "\(title) (\(mistakes.count)):"]
            + mistakes.map { mistake in
                let text = Excerpt.of(mistake.example.text, around: mistake.firstMatch)
                return "  \(mistake.example.place)  \(mistake.rule)  \(what(mistake))\(text)"
            }
    }
}
