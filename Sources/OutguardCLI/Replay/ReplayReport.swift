import OutguardEngine
import OutguardLog

/// What a changed rule set does to captured traffic: each captured text is filtered under
/// the old and the new rules, and per rule the responses it newly fires on, stops firing on,
/// fires on with another action or mode, or fires on at other places are listed by request id.
struct ReplayReport: Sendable {
    /// What a rule does when it fires: its action, and whether it is enforced.
    struct Effect: Sendable, Hashable, Encodable, CustomStringConvertible {
        var action: RuleAction
        var mode: RuleMode

        enum CodingKeys: CodingKey { case action, mode }

        var description: String { mode == .shadow ? "shadow \(action.rawValue)" : action.rawValue }
    }

    struct ActionChange: Sendable, Hashable, Encodable {
        var requestID: String
        var from: Effect
        var to: Effect

        enum CodingKeys: String, CodingKey {
            case requestID = "request_id"
            case from, to
        }
    }

    /// The responses on which one rule does something else under the new rules.
    struct RuleChanges: Sendable, Hashable, Encodable {
        var rule: String
        var newlyFires: [String] = []
        var stopsFiring: [String] = []
        var changesAction: [ActionChange] = []
        /// Fires in both, with the same effect, but on other text: a widened or narrowed
        /// pattern changes what a redaction removes.
        var changesMatch: [String] = []

        enum CodingKeys: String, CodingKey {
            case rule
            case newlyFires = "newly_fires"
            case stopsFiring = "stops_firing"
            case changesAction = "changes_action"
            case changesMatch = "changes_match"
        }
    }

    /// Responses replayed.
    let responses: Int
    /// Responses on which any rule does something else.
    let changed: Int
    /// Only the rules with a change, by id.
    let rules: [RuleChanges]

    /// Replays `responses`; each runs under the policy it was captured with (or `policyName`
    /// for all) as each rule set defines it.
    init(responses: [CapturedResponse], old: ReplayRules, new: ReplayRules, policyName: String? = nil) {
        var changes: [String: RuleChanges] = [:]
        var changed = 0
        for response in responses {
            let name = policyName ?? response.policy
            let before = Self.hits(of: response, under: old.policy(named: name))
            let after = Self.hits(of: response, under: new.policy(named: name))
            var differs = false
            for rule in Set(before.keys).union(after.keys) {
                let id = response.requestID
                var row = changes[rule] ?? RuleChanges(rule: rule)
                switch (before[rule], after[rule]) {
                case (nil, .some): row.newlyFires.append(id)
                case (.some, nil): row.stopsFiring.append(id)
                case (let old?, let new?) where old.effect != new.effect:
                    row.changesAction.append(ActionChange(requestID: id, from: old.effect, to: new.effect))
                case (let old?, let new?) where old.places != new.places: row.changesMatch.append(id)
                default: continue
                }
                changes[rule] = row
                differs = true
            }
            if differs { changed += 1 }
        }
        self.responses = responses.count
        self.changed = changed
        rules = changes.values.sorted { $0.rule < $1.rule }
    }

    /// What one rule did to one response.
    private struct Hit: Equatable {
        var effect: Effect
        var places: Set<Place>
    }

    /// Where a match lies: which text of the response, and where in it (Unicode scalars).
    private struct Place: Hashable {
        var segment: Int
        var span: Range<Int>
    }

    /// The rules that fired on any text of `response`. A rule has one action and mode in a
    /// policy, so its first finding says what it does.
    private static func hits(of response: CapturedResponse, under policy: Policy) -> [String: Hit] {
        var hits: [String: Hit] = [:]
        for (index, segment) in response.segments.enumerated() {
            for finding in policy.evaluate(segment.text).findings where finding.kind == .match {
                let place = Place(segment: index, span: finding.characterSpan)
                hits[
                    finding.ruleID, default: Hit(effect: Effect(action: finding.action, mode: finding.mode), places: [])
                ]
                .places.insert(place)
            }
        }
        return hits
    }
}
