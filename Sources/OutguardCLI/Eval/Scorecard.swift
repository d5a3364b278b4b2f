import OutguardEngine

/// How well each rule of a policy does on a labelled corpus: per rule, the texts it fired on
/// that were labelled with it (true positives), those it fired on that were not (false
/// positives) and those labelled with it that it missed (false negatives), and the texts
/// behind each mistake.
///
/// The unit is one text and one rule: two addresses in one text labelled `pii.email` are one
/// true positive, since a label says which rules must fire, not how often. Every finding of
/// kind match counts, whatever the rule's action and mode: eval measures what a rule finds,
/// and a `log` or shadow rule's findings are what reviewers read and what it will enforce
/// once switched on, so its false positives matter as much.
struct Scorecard: Sendable {
    /// The counts of one rule, or of all rules together (micro-averaged).
    struct Tally: Sendable, Hashable {
        var truePositives = 0
        var falsePositives = 0
        var falseNegatives = 0

        /// Nil when the rule never fired: there is nothing to be precise about.
        var precision: Double? { ratio(truePositives, truePositives + falsePositives) }
        /// Nil when no text is labelled with the rule: there is nothing to find.
        var recall: Double? { ratio(truePositives, truePositives + falseNegatives) }
        /// Harmonic mean of precision and recall, written so that a rule with labelled texts
        /// and no hits scores 0 rather than nothing; nil when it has neither.
        var f1: Double? { ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives) }

        /// Neither labelled texts nor hits: the corpus says nothing about the rule.
        var isEmpty: Bool { truePositives + falsePositives + falseNegatives == 0 }

        static func + (lhs: Tally, rhs: Tally) -> Tally {
            Tally(
                truePositives: lhs.truePositives + rhs.truePositives,
                falsePositives: lhs.falsePositives + rhs.falsePositives,
                falseNegatives: lhs.falseNegatives + rhs.falseNegatives)
        }

        private func ratio(_ part: Int, _ whole: Int) -> Double? {
            whole == 0 ? nil : Double(part) / Double(whole)
        }
    }

    struct RuleScore: Sendable, Hashable {
        var rule: String
        var pack: String
        var tally: Tally
    }

    /// A text on which a rule was wrong (or could not decide), with what it matched.
    struct Mistake: Sendable, Hashable {
        var example: LabelledExample
        var rule: String
        /// The matched texts (false positives) or the engine's complaint (undecided); empty for a miss.
        var details: [String]
        /// Where the first match starts, in Unicode scalars, so a shortened text can show it.
        var firstMatch: Int?
    }

    let texts: Int
    /// One per scored rule, in the policy's order.
    let rules: [RuleScore]
    let total: Tally
    let falsePositives: [Mistake]
    let misses: [Mistake]
    /// Rules that could not decide on a text (a regex at its match limit): counted as not fired.
    let undecided: [Mistake]

    /// Scores the rules of `policy` whose ids are in `scoring` (nil: all of them). The others
    /// still run, since findings do not depend on each other, but their hits and labels are
    /// left out.
    init(policy: Policy, examples: [LabelledExample], scoring: Set<String>? = nil) {
        var tallies = [String: Tally]()
        var falsePositives = [String: [Mistake]]()
        var misses = [String: [Mistake]]()
        var undecided: [Mistake] = []
        let scoredRules = policy.rules.filter { scoring?.contains($0.id) ?? true }
        let scored = Set(scoredRules.map(\.id))
        for example in examples {
            let findings = policy.evaluate(example.text).findings
            let matches = Dictionary(grouping: findings.filter { $0.kind == .match }, by: \.ruleID)
            for (rule, found) in matches where scored.contains(rule) {
                if example.expected.contains(rule) {
                    tallies[rule, default: Tally()].truePositives += 1
                } else {
                    tallies[rule, default: Tally()].falsePositives += 1
                    falsePositives[rule, default: []].append(
                        Mistake(
                            example: example, rule: rule, details: found.map(\.matchedText),
                            firstMatch: found.first?.characterSpan.lowerBound))
                }
            }
            for rule in example.expected where scored.contains(rule) && matches[rule] == nil {
                tallies[rule, default: Tally()].falseNegatives += 1
                misses[rule, default: []].append(Mistake(example: example, rule: rule, details: [], firstMatch: nil))
            }
            for finding in findings where finding.kind == .engineError && scored.contains(finding.ruleID) {
                undecided.append(
                    Mistake(
                        example: example, rule: finding.ruleID, details: [finding.detail ?? "engine error"],
                        firstMatch: finding.characterSpan.lowerBound))
            }
        }
        texts = examples.count
        rules = scoredRules.map { RuleScore(rule: $0.id, pack: $0.pack, tally: tallies[$0.id] ?? Tally()) }
        total = rules.reduce(Tally()) { $0 + $1.tally }
        // By rule, then in corpus order, so that a rule's mistakes read together.
        self.falsePositives = scoredRules.flatMap { falsePositives[$0.id] ?? [] }
        self.misses = scoredRules.flatMap { misses[$0.id] ?? [] }
        self.undecided = undecided
    }
}
