/// Decides which normalized copy of the text each rule matches on.
///
/// Every distinct normalization costs a copy of the answer and a scan of it, so rules
/// share one whenever that cannot change what they find: `width` adds nothing to
/// `nfkc`, and `kana` changes only kana, so a lexicon rule whose terms are all ASCII
/// finds the same hits with or without it (kana keeps every byte's length, so spans
/// and word boundaries stay put).
struct ProfileGrouping {
    /// The normalizations that get a copy of the text, in a fixed order.
    let normalizations: [Normalization]
    private let available: Set<Normalization>

    init(rules: [RuleDefinition]) {
        let matched = rules.filter { rule in
            if case .classifier = rule.matcher { return false }
            return true
        }
        let available = Set(matched.map(\.normalization.reduced))
        self.available = available
        normalizations = Set(matched.map { Self.normalization(of: $0, available: available) })
            .sorted { $0.rawValue < $1.rawValue }
    }

    func normalization(of rule: RuleDefinition) -> Normalization {
        Self.normalization(of: rule, available: available)
    }

    private static func normalization(of rule: RuleDefinition, available: Set<Normalization>) -> Normalization {
        let own = rule.normalization.reduced
        guard case .lexicon(let terms, let exceptions) = rule.matcher, !own.contains(.kana),
            available.contains(own.union(.kana)),
            (terms + exceptions).allSatisfy({ $0.utf8.allSatisfy { $0 < 0x80 } })
        else { return own }
        return own.union(.kana)
    }
}
