import OutguardEngine
import OutguardHooks

/// One text's classifier units: cuts the text into units as it arrives, says what to ask
/// the hooks, and turns their answers into findings, redactions and stops, in text order
/// (an answer that comes early waits for the ones before it).
struct ClassifierGate {
    /// A question for a hook about one unit.
    struct Call: Sendable {
        var lane: Int
        var unit: Int
        var hook: String
        var text: String
        var categories: [String]
        var rule: String?
    }

    /// What one answered unit decided.
    struct Decision {
        /// One per rule that fired or could not decide.
        var findings: [Finding] = []
        /// The unit's text is replaced (an enforced redact rule fired).
        var redaction: TextEdit?
        /// The text stops at the unit's start (an enforced block rule fired, or its hook
        /// failed with `on_error: block`).
        var stop: (finding: Finding, message: String)?
        /// Where the unit starts, in the text's UTF-8 bytes.
        var start: Int
    }

    private struct Unit {
        var unit: SentenceSplitter.Unit
        var result: HookResult?
    }

    private struct Lane {
        /// Nil for a whole-text lane.
        var splitter: SentenceSplitter?
        var units: [Unit] = []
        /// Units before this one are decided.
        var applied = 0
    }

    private let plan: ClassifierPlan
    private var lanes: [Lane]
    /// The text so far, kept only when a lane asks about the whole text.
    private var whole: String?
    private var fed = (bytes: 0, characters: 0)
    private(set) var finished = false

    init(plan: ClassifierPlan) {
        self.plan = plan
        lanes = plan.lanes.map { Lane(splitter: $0.segmentMaxChars.map(SentenceSplitter.init(maxCharacters:))) }
        whole = plan.lanes.contains { $0.segmentMaxChars == nil } ? "" : nil
    }

    /// Where text starts to wait for a verdict, in UTF-8 bytes (`Int.max` when none
    /// waits): the first unit not decided of a lane that holds, or the sentence still
    /// being read.
    var heldFrom: Int {
        var held = Int.max
        for (index, lane) in lanes.enumerated() where plan.lanes[index].holds {
            if lane.applied < lane.units.count {
                held = min(held, lane.units[lane.applied].unit.byteSpan.lowerBound)
            } else if let splitter = lane.splitter {
                held = min(held, splitter.openStart)
            }
        }
        return held
    }

    /// Whether every unit of the ended text is decided.
    var isSettled: Bool { finished && lanes.allSatisfy { $0.applied == $0.units.count } }

    /// Adds the next piece of the text; returns what to ask about the units it completed.
    mutating func feed(_ piece: String) -> [Call] {
        whole? += piece
        fed.bytes += piece.utf8.count
        fed.characters += piece.unicodeScalars.count
        var calls: [Call] = []
        for index in lanes.indices {
            guard let units = lanes[index].splitter?.feed(piece) else { continue }
            for unit in units { calls += add(unit, to: index) }
        }
        return calls
    }

    /// The text ended; returns what to ask about its last units.
    mutating func finish() -> [Call] {
        guard !finished else { return [] }
        finished = true
        var calls: [Call] = []
        for index in lanes.indices {
            if lanes[index].splitter != nil {
                if let unit = lanes[index].splitter?.finish() { calls += add(unit, to: index) }
            } else if let whole {
                let unit = SentenceSplitter.Unit(
                    byteSpan: 0..<fed.bytes, characterSpan: 0..<fed.characters, text: whole)
                calls += add(unit, to: index)
            }
        }
        whole = nil
        return calls
    }

    /// A hook's answer about a unit; returns the decisions now in order (none when an
    /// earlier unit of its lane is still waiting).
    mutating func answer(_ result: HookResult, lane index: Int, unit: Int) -> [Decision] {
        guard lanes[index].units[unit].result == nil else { return [] }
        lanes[index].units[unit].result = result
        var decisions: [Decision] = []
        while lanes[index].applied < lanes[index].units.count, let result = lanes[index].units[lanes[index].applied].result {
            let position = lanes[index].applied
            decisions.append(decide(lanes[index].units[position].unit, by: plan.lanes[index], result: result))
            // The text is not needed any more.
            lanes[index].units[position].unit.text = ""
            lanes[index].applied += 1
        }
        return decisions
    }

    private mutating func add(_ unit: SentenceSplitter.Unit, to index: Int) -> [Call] {
        let number = lanes[index].units.count
        let unit = unit.trimmed
        // Whitespace has nothing to judge: it is decided clean at once.
        guard !unit.text.isEmpty else {
            lanes[index].units.append(Unit(unit: unit, result: .success(HookScores(scores: [:]))))
            if lanes[index].applied == number { lanes[index].applied += 1 }
            return []
        }
        lanes[index].units.append(Unit(unit: unit, result: nil))
        let lane = plan.lanes[index]
        return [
            Call(lane: index, unit: number, hook: lane.hook, text: unit.text, categories: lane.categories, rule: lane.ruleName)
        ]
    }

    private func decide(_ unit: SentenceSplitter.Unit, by lane: ClassifierPlan.Lane, result: HookResult) -> Decision {
        var decision = Decision(start: unit.byteSpan.lowerBound)
        for rule in lane.rules {
            let definition = rule.definition
            var finding = Finding(
                ruleID: definition.id, pack: definition.pack, action: definition.action, mode: definition.mode,
                severity: definition.severity, byteSpan: unit.byteSpan, characterSpan: unit.characterSpan,
                matchedText: unit.text)
            switch result {
            case .success(let answer):
                guard !answer.flagged(rule.categories, threshold: rule.threshold).isEmpty else { continue }
                finding.scores = answer.scores.filter { rule.categories.contains($0.key) }
                if rule.isEnforced && decision.stop == nil {
                    switch definition.action {
                    case .block: decision.stop = (finding, definition.message ?? RuleDefinition.defaultBlockMessage)
                    case .redact:
                        decision.redaction =
                            decision.redaction
                            ?? TextEdit(originalSpan: unit.byteSpan, replacement: definition.replacement)
                    case .log: break
                    }
                }
            case .failure(let failure):
                finding.kind = .engineError
                finding.detail = "hook `\(lane.hook)`: \(failure)"
                if lane.failsClosed && rule.isEnforced && decision.stop == nil {
                    decision.stop = (finding, Policy.uncheckedMessage)
                }
            }
            decision.findings.append(finding)
        }
        return decision
    }
}
