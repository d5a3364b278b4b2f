/// Everything a policy matches on one normalization of the text: the normalizer and
/// the regex and lexicon rules that asked for that normalization.
final class Profile: Sendable {
    let normalizer: TextNormalizer
    let regexRules: RegexRuleSet?
    let lexiconRules: LexiconRuleSet?

    init(normalizer: TextNormalizer, regexRules: RegexRuleSet?, lexiconRules: LexiconRuleSet?) {
        self.normalizer = normalizer
        self.regexRules = regexRules
        self.lexiconRules = lexiconRules
    }

    /// One text's progress through this profile.
    struct Progress {
        var buffer = NormalizedBuffer()
        var regex: RegexRuleSet.ScanState?
        var lexicon: LexiconRuleSet.ScanState?
    }

    func makeProgress() -> Progress {
        Progress(regex: regexRules?.makeState(), lexicon: lexiconRules?.makeState())
    }

    /// Normalizes the original bytes this profile has not consumed yet, runs the
    /// matchers over what is new, and returns the hold bound in ORIGINAL bytes: no
    /// undecided match (and no character whose normalization may still change) starts
    /// before it.
    func advance(
        _ progress: inout Progress, original: UnsafeBufferPointer<UInt8>, originalBase: Int, final: Bool,
        emit: (RawMatch, NormalizedBuffer) -> Void
    ) -> Int {
        let newFrom = progress.buffer.end
        let unconsumed = UnsafeBufferPointer(rebasing: original[(progress.buffer.originalEnd - originalBase)...])
        _ = normalizer.append(unconsumed, isFinal: final, to: &progress.buffer)

        var hold = progress.buffer.end
        var matches: [RawMatch] = []
        // The scan states are mutated in place (`!`), never copied out and back: a copy
        // would duplicate their arrays on every step.
        if let regexRules {
            hold = min(hold, regexRules.advance(&progress.regex!, in: progress.buffer, newFrom: newFrom, final: final) { matches.append($0) })
        }
        if let lexiconRules {
            hold = min(hold, lexiconRules.advance(&progress.lexicon!, in: progress.buffer, final: final) { matches.append($0) })
        }
        for match in matches { emit(match, progress.buffer) }
        return progress.buffer.originalOffset(ofNormalized: hold)
    }

    /// Lets the buffer forget normalized text no later step needs.
    func trim(_ progress: inout Progress) {
        var keep = progress.buffer.end
        if let regexRules, let state = progress.regex { keep = min(keep, regexRules.retainFrom(state)) }
        if let lexiconRules, let state = progress.lexicon {
            keep = min(keep, lexiconRules.retainFrom(state, buffer: progress.buffer))
        }
        // Keep one whole character before the cursors too: `^` and `\A` must never see
        // a cut-off buffer start as the start of the text, and PCRE2 must never look
        // behind into half a character.
        keep = progress.buffer.scalarStart(keep - 4)
        if keep > progress.buffer.start { progress.buffer.discard(before: keep) }
    }

    /// The earliest original offset this profile still needs.
    func originalRetainFrom(_ progress: Progress) -> Int {
        progress.buffer.originalOffset(ofNormalized: progress.buffer.start)
    }
}
