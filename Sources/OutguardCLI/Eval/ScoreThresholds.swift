/// The lowest precision and recall a CI run accepts (`--min-precision`, `--min-recall`).
///
/// Precision is checked for each rule that fired on the corpus, recall for each rule the
/// corpus has labelled texts for, and both for the total. A rule the corpus says nothing
/// about passes: its score would be a guess, and the table shows it as such.
struct ScoreThresholds: Sendable {
    var minPrecision: Double?
    var minRecall: Double?

    /// One sentence per score below its threshold; empty when the scorecard passes.
    func failures(in scorecard: Scorecard) -> [String] {
        let named = scorecard.rules.map { (name: "rule \($0.rule)", tally: $0.tally) }
        return (named + [(name: "the total", tally: scorecard.total)]).flatMap { name, tally in
            var failures: [String] = []
            if let minPrecision, let precision = tally.precision, precision < minPrecision {
                failures.append(
                    "\(name): precision \(ScorecardTable.score(precision)) is below --min-precision \(ScorecardTable.score(minPrecision))"
                        + " (\(tally.falsePositives) false positive\(tally.falsePositives == 1 ? "" : "s"))")
            }
            if let minRecall, let recall = tally.recall, recall < minRecall {
                failures.append(
                    "\(name): recall \(ScorecardTable.score(recall)) is below --min-recall \(ScorecardTable.score(minRecall))"
                        + " (\(tally.falseNegatives) miss\(tally.falseNegatives == 1 ? "" : "es"))")
            }
            return failures
        }
    }
}
