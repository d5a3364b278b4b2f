/// The lexicon rules that share one normalization: all their terms and exceptions in
/// one Aho–Corasick automaton, built once.
///
/// Hits are decided left to right, longest first, one non-overlapping hit at a time
/// per rule. A hit is decided only once nothing that arrives later can change it:
/// no longer term or exception that could contain it may still be in progress (the
/// automaton's depth says how far back that could reach), and the character after it
/// is known (for word boundaries).
final class LexiconRuleSet: Sendable {
    /// What one automaton pattern stands for.
    struct Entry: Sendable {
        /// Index of the rule among this set's rules.
        var rule: Int
        var isException: Bool
        /// An ASCII letter or digit at the start/end: a hit there needs a word boundary.
        var boundedStart: Bool
        var boundedEnd: Bool
    }

    fileprivate struct Hit {
        var entry: Int
        var range: Range<Int>
    }

    /// Where the automaton stands in one text.
    struct ScanState {
        fileprivate var state: Int32
        fileprivate var scannedTo = 0
        fileprivate var pending: [Hit] = []
        fileprivate var exceptions: [Hit] = []
        fileprivate var chosenEnd: [Int]
        fileprivate var decidedTo = 0
    }

    /// Policy indices of this set's rules.
    let policyIndices: [Int]
    private let automaton: AhoCorasick
    private let entries: [Entry]
    /// Rules out long stretches of text with no term in them, so that the automaton
    /// only reads their last few bytes.
    private let sieve: TermSieve?
    /// The longest term or exception: the bytes from which the automaton's state at the
    /// end of a text can be found again.
    private let longestPattern: Int
    /// New text shorter than this goes straight to the automaton: a sieve call costs
    /// about as much as the automaton reading this many bytes.
    static let sieveMinimum = 64

    /// With `sieving: false` the automaton reads every byte: what the sieve must agree with.
    init(policyIndices: [Int], patterns: [[UInt8]], entries: [Entry], sieving: Bool = true) {
        self.policyIndices = policyIndices
        self.entries = entries
        automaton = AhoCorasick(patterns: patterns)
        sieve = sieving ? TermSieve(terms: zip(patterns, entries).filter { !$0.1.isException }.map(\.0)) : nil
        longestPattern = patterns.map(\.count).max() ?? 0
    }

    func makeState() -> ScanState {
        ScanState(state: AhoCorasick.start, chosenEnd: Array(repeating: 0, count: policyIndices.count))
    }

    /// Scans the text that arrived since the last step and reports every hit that can
    /// be decided. Returns the hold bound: no undecided hit starts before it.
    func advance(
        _ scan: inout ScanState, in buffer: NormalizedBuffer, final: Bool, emit: (RawMatch) -> Void
    ) -> Int {
        var found: [Hit] = []
        buffer.withBytes { bytes in
            let newBytes = UnsafeBufferPointer(rebasing: bytes[(scan.scannedTo - buffer.start)...])
            if isFreeOfHits(newBytes, after: scan) {
                // The state at the end depends only on the longest suffix that begins a
                // pattern, which the last `longestPattern` bytes hold; the only patterns
                // that can end in them are exceptions, which need a hit to cancel.
                let tail = UnsafeBufferPointer(rebasing: newBytes.suffix(longestPattern))
                scan.state = automaton.scan(tail, from: AhoCorasick.start, baseOffset: 0) { _, _ in }
            } else {
                scan.state = automaton.scan(newBytes, from: scan.state, baseOffset: scan.scannedTo) { id, end in
                    found.append(Hit(entry: Int(id), range: (end - automaton.patternLength(id))..<end))
                }
            }
        }
        for hit in found {
            if entries[hit.entry].isException { scan.exceptions.append(hit) } else { scan.pending.append(hit) }
        }
        scan.scannedTo = buffer.end
        // Text from `stable` on could still be the start of a term or exception.
        let stable = final ? Int.max : buffer.end - automaton.depth(scan.state)
        decide(&scan, before: stable, in: buffer, emit: emit)
        return min(stable, buffer.end)
    }

    /// Whether `newBytes` can give no hit, so the automaton need not read them: nothing is
    /// under way (no term begun before them, no hit or exception waiting) and the sieve
    /// finds no term in them.
    private func isFreeOfHits(_ newBytes: UnsafeBufferPointer<UInt8>, after scan: ScanState) -> Bool {
        guard let sieve, newBytes.count >= Self.sieveMinimum, scan.state == AhoCorasick.start,
            scan.pending.isEmpty, scan.exceptions.isEmpty
        else { return false }
        return !sieve.mayContainTerm(newBytes)
    }

    /// The earliest normalized offset a later step still needs (one byte before any
    /// undecided hit, for the word-boundary check).
    func retainFrom(_ scan: ScanState, buffer: NormalizedBuffer) -> Int {
        buffer.end - automaton.depth(scan.state) - 1
    }

    private func decide(_ scan: inout ScanState, before stable: Int, in buffer: NormalizedBuffer, emit: (RawMatch) -> Void) {
        guard scan.pending.contains(where: { $0.range.lowerBound < stable }) else { return }
        scan.pending.sort { a, b in
            a.range.lowerBound != b.range.lowerBound
                ? a.range.lowerBound < b.range.lowerBound : a.range.upperBound > b.range.upperBound
        }
        let decidable = scan.pending.prefix { $0.range.lowerBound < stable }
        buffer.withBytes { bytes in
            for hit in decidable {
                let entry = entries[hit.entry]
                guard hit.range.lowerBound >= scan.chosenEnd[entry.rule],
                    isOnWordBoundary(hit, entry, bytes: bytes, base: buffer.start),
                    !scan.exceptions.contains(where: { exception in
                        entries[exception.entry].rule == entry.rule
                            && exception.range.lowerBound <= hit.range.lowerBound
                            && exception.range.upperBound >= hit.range.upperBound
                    })
                else { continue }
                scan.chosenEnd[entry.rule] = hit.range.upperBound
                emit(RawMatch(rule: policyIndices[entry.rule], range: hit.range, failure: nil))
            }
        }
        scan.pending.removeFirst(decidable.count)
        // An exception matters only to hits it can contain; later hits end after it.
        let earliestPendingEnd = scan.pending.map(\.range.upperBound).min() ?? stable
        scan.exceptions.removeAll { $0.range.upperBound < earliestPendingEnd }
    }

    private func isOnWordBoundary(_ hit: Hit, _ entry: Entry, bytes: UnsafeBufferPointer<UInt8>, base: Int) -> Bool {
        if entry.boundedStart, hit.range.lowerBound > base,
            Self.isWordByte(bytes[hit.range.lowerBound - base - 1])
        {
            return false
        }
        if entry.boundedEnd, hit.range.upperBound - base < bytes.count,
            Self.isWordByte(bytes[hit.range.upperBound - base])
        {
            return false
        }
        return true
    }

    static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == 0x5F
    }
}
