import OutguardConfig
import OutguardEngine
import OutguardHooks

/// How one policy's classifier rules are asked: worked out once per policy, so a response
/// only cuts its text and sends it.
///
/// Rules that ask the same hook about the same units share one round trip per unit (a
/// lane): a hook's sentence-sized units for all its rules with the same
/// `segment_max_chars`, and its whole-text unit for the rules with `scope: full`.
struct ClassifierPlan: Sendable {
    /// One classifier rule of the policy.
    struct Rule: Sendable {
        /// Its place in the policy.
        var index: Int
        var definition: RuleDefinition
        var categories: [String]
        var threshold: Double

        /// Whether a verdict of this rule can change what the user sees.
        var isEnforced: Bool { definition.mode == .enforce && definition.action != .log }
    }

    /// The rules that share one round trip per unit.
    struct Lane: Sendable {
        var hook: String
        /// The most characters a unit holds; nil: the whole text, once it ended.
        var segmentMaxChars: Int?
        var rules: [Rule]
        /// Every category the rules ask about, each once.
        var categories: [String]
        /// Sent to an `outguard` hook: the rule's id when the lane serves one rule.
        var ruleName: String?
        /// Whether text waits for the lane's verdict before it is shown (a rule with
        /// `stream: hold` that can change what the user sees).
        var holds: Bool
        /// Whether a failed call stops the answer (`on_error: block`).
        var failsClosed: Bool
    }

    let lanes: [Lane]

    /// The plan for `policy`'s classifier rules; nil when it has none.
    init?(policy: Policy, hooks: Hooks?) {
        var sentenceLanes: [Lane] = []
        var wholeLanes: [Lane] = []
        for (index, definition) in policy.rules.enumerated() {
            guard
                case .classifier(let hook, let categories, let threshold, let stream, let scope, let maxChars) =
                    definition.matcher
            else { continue }
            let rule = Rule(index: index, definition: definition, categories: categories, threshold: threshold)
            let failsClosed = hooks?[hook]?.definition.onError != .allow
            Self.add(rule, holds: stream == .hold, to: &sentenceLanes, hook: hook, maxChars: maxChars, failsClosed: failsClosed)
            if scope == .full {
                Self.add(rule, holds: false, to: &wholeLanes, hook: hook, maxChars: nil, failsClosed: failsClosed)
            }
        }
        guard !sentenceLanes.isEmpty else { return nil }
        lanes = sentenceLanes + wholeLanes
    }

    private static func add(
        _ rule: Rule, holds: Bool, to lanes: inout [Lane], hook: String, maxChars: Int?, failsClosed: Bool
    ) {
        let holds = holds && rule.isEnforced
        if let index = lanes.firstIndex(where: { $0.hook == hook && $0.segmentMaxChars == maxChars }) {
            lanes[index].rules.append(rule)
            lanes[index].categories += rule.categories.filter { !lanes[index].categories.contains($0) }
            lanes[index].ruleName = nil
            lanes[index].holds = lanes[index].holds || holds
        } else {
            lanes.append(
                Lane(
                    hook: hook, segmentMaxChars: maxChars, rules: [rule], categories: rule.categories,
                    ruleName: rule.definition.id, holds: holds, failsClosed: failsClosed))
        }
    }
}
