/// Compiles the regex and lexicon rules of one normalization into a `Profile`,
/// collecting every problem instead of stopping at the first.
struct ProfileBuilder {
    let normalization: Normalization
    let limits: EngineLimits

    func build(rules: [RuleDefinition], members: [Int], problems: inout [RuleProblem]) -> Profile {
        let normalizer = TextNormalizer(normalization)
        var regexRules: [RegexRuleSet.Rule] = []
        var regexSources: [(pattern: String, flags: Set<RegexFlag>)] = []
        var lexicon = LexiconBuilder(normalizer: normalizer)
        for index in members {
            switch rules[index].matcher {
            case .regex(let pattern, let flags):
                do {
                    let compiled = try PCRE2Pattern(pattern: pattern, flags: flags)
                    if compiled.canMatchEmpty {
                        problems.append(RuleProblem(
                            ruleIndex: index, field: .pattern,
                            message: "the pattern can match empty text, so it would fire everywhere; make every match need at least one character (for example `+` instead of `*`)"))
                        continue
                    }
                    regexRules.append(RegexRuleSet.Rule(policyIndex: index, pattern: compiled, validator: rules[index].validator))
                    regexSources.append((pattern, flags))
                } catch {
                    problems.append(RuleProblem(
                        ruleIndex: index, field: .pattern, message: "the pattern does not compile: \(error.message)",
                        patternOffset: error.characterOffset))
                }
            case .lexicon(let terms, let exceptions):
                if rules[index].validator != nil {
                    problems.append(RuleProblem(ruleIndex: index, field: .validator, message: "`validate` applies to regex rules only"))
                }
                lexicon.add(rule: index, terms: terms, exceptions: exceptions, problems: &problems)
            case .classifier:
                continue
            }
        }
        return Profile(
            normalizer: normalizer,
            regexRules: regexRules.isEmpty ? nil : RegexRuleSet(rules: regexRules, sources: regexSources, limits: limits),
            lexiconRules: lexicon.build())
    }
}

/// Gathers the terms and exceptions of lexicon rules, normalized the way the text will be.
struct LexiconBuilder {
    let normalizer: TextNormalizer
    private var policyIndices: [Int] = []
    private var patterns: [[UInt8]] = []
    private var entries: [LexiconRuleSet.Entry] = []

    init(normalizer: TextNormalizer) { self.normalizer = normalizer }

    mutating func add(rule index: Int, terms: [String], exceptions: [String], problems: inout [RuleProblem]) {
        let local = policyIndices.count
        policyIndices.append(index)
        if terms.isEmpty {
            problems.append(RuleProblem(ruleIndex: index, field: .terms, message: "a lexicon rule needs at least one term"))
        }
        for (field, list) in [(RuleProblem.Field.terms, terms), (.exceptions, exceptions)] {
            for (position, term) in list.enumerated() {
                let bytes = normalized(term)
                guard let first = bytes.first, let last = bytes.last else {
                    problems.append(RuleProblem(
                        ruleIndex: index, field: field, message: "the term is empty once normalized", termIndex: position))
                    continue
                }
                patterns.append(bytes)
                entries.append(LexiconRuleSet.Entry(
                    rule: local, isException: field == .exceptions,
                    boundedStart: LexiconRuleSet.isWordByte(first), boundedEnd: LexiconRuleSet.isWordByte(last)))
            }
        }
    }

    func build() -> LexiconRuleSet? {
        patterns.isEmpty ? nil : LexiconRuleSet(policyIndices: policyIndices, patterns: patterns, entries: entries)
    }

    private func normalized(_ term: String) -> [UInt8] {
        var buffer = NormalizedBuffer()
        let bytes = Array(term.utf8)
        _ = bytes.withUnsafeBufferPointer { normalizer.append($0, isFinal: true, to: &buffer) }
        return buffer.withBytes { Array($0) }
    }
}
