/// The regex rules that share one normalization, compiled once.
///
/// Each rule keeps its own cursor over the text; a step searches each rule from its
/// cursor to the end of what has arrived. With more text to come, PCRE2's hard
/// partial matching says where a match could still begin: that is the rule's hold
/// bound. Every byte is searched a bounded number of times, so a stream costs time
/// linear in its length.
final class RegexRuleSet: Sendable {
    struct Rule: Sendable {
        var policyIndex: Int
        var pattern: PCRE2Pattern
        var validator: Validator?
    }

    /// Where each rule stands in one text.
    struct ScanState {
        /// Global normalized offset from which each rule searches next.
        var cursors: [Int]
    }

    let rules: [Rule]
    private let prefilter: Prefilter
    /// Which rules each byte can start (every rule PCRE2 cannot name first bytes for).
    private let startingRules: StartingRules
    /// Bytes of context a search needs before its start (lookbehind and `\b`).
    let contextBytes: Int
    private let scratch: ScratchPool<MatchScratch>

    init(rules: [Rule], sources: [(pattern: String, flags: Set<RegexFlag>)], limits: EngineLimits) {
        self.rules = rules
        prefilter = Prefilter(patterns: sources)
        startingRules = StartingRules(firstBytes: rules.map(\.pattern.firstBytes))
        // A UTF-8 character is at most 4 bytes; one more character for `\b`.
        contextBytes = 4 * ((rules.map(\.pattern.maxLookbehind).max() ?? 0) + 1)
        scratch = ScratchPool { MatchScratch(limits: limits) }
    }

    func makeState() -> ScanState { ScanState(cursors: Array(repeating: 0, count: rules.count)) }

    /// Searches every rule that could match in the text that arrived since `newFrom`
    /// (or any pending partial match), reporting complete matches in `emit`.
    /// Returns the hold bound: no match that is still undecided starts before it.
    func advance(
        _ state: inout ScanState, in buffer: NormalizedBuffer, newFrom: Int, final: Bool,
        emit: (RawMatch) -> Void
    ) -> Int {
        let end = buffer.end
        let searched = candidates(state, in: buffer, newFrom: newFrom, final: final)
        var hold = end
        guard !searched.isEmpty else {
            for index in rules.indices { state.cursors[index] = end }
            return hold
        }
        scratch.withScratch { scratch in
            buffer.withBytes { subject in
                for index in rules.indices {
                    guard searched.contains(index) else {
                        state.cursors[index] = end
                        continue
                    }
                    let partial = search(
                        rules[index], from: &state.cursors[index], subject: subject, base: buffer.start,
                        final: final, scratch: scratch, emit: emit)
                    if let partial { hold = min(hold, partial) }
                }
            }
        }
        return hold
    }

    /// The earliest normalized offset a later step still needs to see.
    func retainFrom(_ state: ScanState) -> Int {
        (state.cursors.min() ?? Int.max) - contextBytes
    }

    /// Which rules to search in this step. On the last step the prefilter scans what
    /// is left once; before that, a rule is searched only if the new text holds a
    /// byte that can start it or it has a partial match pending.
    private func candidates(_ state: ScanState, in buffer: NormalizedBuffer, newFrom: Int, final: Bool) -> RuleBits {
        var bits = RuleBits(count: rules.count)
        if final {
            // Vectorscan needs whole UTF-8 characters: start on a character boundary.
            let from = buffer.scalarStart(max(buffer.start, (state.cursors.min() ?? buffer.end) - contextBytes))
            buffer.withBytes { bytes in
                let window = UnsafeBufferPointer(rebasing: bytes[(from - buffer.start)...])
                prefilter.candidates(in: window, into: &bits)
            }
            return bits
        }
        buffer.withBytes { bytes in
            startingRules.insert(startingIn: UnsafeBufferPointer(rebasing: bytes[(newFrom - buffer.start)...]), into: &bits)
        }
        for (index, cursor) in state.cursors.enumerated() where cursor < newFrom { bits.insert(index) }
        return bits
    }

    /// Runs one rule from its cursor to the end of the subject. Returns the start of a
    /// pending partial match, or nil when the rule has nothing undecided.
    private func search(
        _ rule: Rule, from cursor: inout Int, subject: UnsafeBufferPointer<UInt8>, base: Int, final: Bool,
        scratch: MatchScratch, emit: (RawMatch) -> Void
    ) -> Int? {
        let end = base + subject.count
        while cursor < end {
            let outcome = rule.pattern.search(
                subject, from: cursor - base, final: final, notAtTextStart: base > 0, scratch: scratch)
            switch outcome {
            case .match(let local):
                let range = (local.lowerBound + base)..<(local.upperBound + base)
                if rule.validator.map({ $0.accepts(subject, range: local) }) ?? true {
                    emit(RawMatch(rule: rule.policyIndex, range: range, failure: nil))
                }
                // Patterns that can match empty text are refused at compile time, but `\K`
                // can still end a match where it began: step past one whole character then.
                cursor = range.isEmpty ? Self.nextCharacter(after: range.upperBound - base, in: subject) + base : range.upperBound
            case .partial(let start):
                cursor = start + base
                return cursor
            case .noMatch:
                cursor = end
            case .failed(let message):
                emit(RawMatch(rule: rule.policyIndex, range: cursor..<end, failure: message))
                cursor = end
            }
        }
        return nil
    }

    private static func nextCharacter(after offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var next = offset + 1
        while next < bytes.count, bytes[next] & 0xC0 == 0x80 { next += 1 }
        return next
    }
}
