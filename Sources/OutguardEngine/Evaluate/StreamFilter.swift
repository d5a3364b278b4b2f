/// Filters one text that arrives in pieces (a streamed answer), releasing as soon as
/// it is safe.
///
/// `feed(_:)` returns the text that can be shown now; `finish()` returns the rest.
/// Only what could still become part of a match is held back, and the released text
/// put together equals `Policy.evaluate(_:)`'s text for the whole answer, however the
/// answer was split. A blocking match is reported before any of its characters are
/// released.
public struct StreamFilter: Sendable {
    private let policy: CompiledPolicy
    private var profiles: [Profile.Progress]
    /// Original UTF-8 bytes from `base` on (older bytes are forgotten).
    private var original: [UInt8] = []
    private var base = 0
    /// An original offset (never before `base`) and the Unicode scalars before it.
    /// Character positions are counted from here, so that each is a short count even
    /// deep into a long text.
    private var scalarAnchor = (offset: 0, scalars: 0)
    private var rewriter = Rewriter()
    /// A decided finding whose start has not been released yet, with its rule's index.
    private typealias Waiting = (finding: Finding, rule: Int)
    private var waiting: [Waiting] = []
    /// Original offset at the last `trim()`.
    private var lastTrim = 0
    private static let trimInterval = 1024
    /// The bytes released by the current step (kept to reuse its storage).
    private var output: [UInt8] = []
    private(set) public var blockedBy: Finding?
    /// How many times `maxHoldback` forced text out that might still have become a match.
    private(set) public var holdbackOverflows = 0

    init(policy: CompiledPolicy) {
        self.policy = policy
        profiles = policy.profiles.map { $0.makeProgress() }
    }

    /// Bytes of the text held back right now (waiting for the next piece).
    public var heldBytes: Int { base + original.count - rewriter.cursor }

    /// Adds the next piece of the text; returns what may be shown now.
    public mutating func feed(_ delta: String) -> StreamOutput { feed(delta, final: false) }

    /// Ends the text, after `lastPiece`; returns everything still held back, filtered.
    /// A last piece given here costs less than one fed before: in the last step no rule
    /// has to look for a match that later text could complete.
    public mutating func finish(_ lastPiece: String = "") -> StreamOutput { feed(lastPiece, final: true) }

    /// One step; with `final` the text ends after `delta`. A whole-text evaluation is
    /// a single final step, so it runs the very same code as a stream.
    mutating func feed(_ delta: String, final: Bool) -> StreamOutput {
        guard blockedBy == nil else {
            return StreamOutput(text: "", findings: [], blockedBy: nil, edits: [], releasedThrough: rewriter.cursor)
        }
        // A whole text in one step that no rule changes is returned as it came, without
        // building and validating a copy.
        let wholeText = final && base == 0 && original.isEmpty ? delta : nil
        original.append(contentsOf: delta.utf8)
        let end = base + original.count
        var hold = end
        var matches: [OriginalMatch] = []
        let (policy, base) = (self.policy, self.base)
        original.withUnsafeBufferPointer { bytes in
            // The progress array is checked for uniqueness once, not once per profile.
            profiles.withUnsafeMutableBufferPointer { progress in
                for index in progress.indices {
                    let profileHold = policy.profiles[index].advance(
                        &progress[index], original: bytes, originalBase: base, final: final
                    ) { match, buffer in
                        matches.append(OriginalMatch(
                            rule: match.rule, span: buffer.originalRange(of: match.range), failure: match.failure))
                    }
                    hold = min(hold, profileHold)
                }
            }
        }
        if final { hold = end }
        for match in matches { waiting.append((makeFinding(match), match.rule)) }
        // Characters are never more than bytes: count them only when the bytes say they might exceed the cap.
        let heldFrom = max(hold, rewriter.cursor)
        if !final, end - heldFrom > policy.limits.maxHoldback,
            characterCount(from: heldFrom, to: end) > policy.limits.maxHoldback
        {
            hold = offset(keepingCharacters: policy.limits.maxHoldback, before: end)
            holdbackOverflows += 1
        }
        let output = release(upTo: hold, unchanged: wholeText)
        // After the last step nothing is read again; before it, forgetting is batched
        // so that small pieces do not each pay for it.
        if !final && end - lastTrim >= Self.trimInterval {
            trim()
            lastTrim = end
        }
        return output
    }

    /// Applies every waiting finding that starts before `hold`, in text order, and
    /// releases the text up to `hold`.
    private mutating func release(upTo hold: Int, unchanged: String?) -> StreamOutput {
        var ready: [Waiting] = []
        if waiting.contains(where: { $0.finding.byteSpan.lowerBound < hold }) {
            ready = waiting.filter { $0.finding.byteSpan.lowerBound < hold }.sorted(by: Self.textOrder)
            waiting.removeAll { $0.finding.byteSpan.lowerBound < hold }
        }
        if ready.isEmpty, unchanged == nil, let plain = rewriter.plainRelease(upTo: hold) {
            // Nothing to apply: the released text is a slice of the original, decoded
            // straight from it.
            let text = original.withUnsafeBufferPointer { bytes in
                String(decoding: UnsafeBufferPointer(rebasing: bytes[(plain.lowerBound - base)..<(plain.upperBound - base)]), as: UTF8.self)
            }
            return StreamOutput(text: text, findings: [], blockedBy: nil, edits: [], releasedThrough: rewriter.cursor)
        }
        output.removeAll(keepingCapacity: true)
        original.withUnsafeBufferPointer { bytes in
            for (finding, rule) in ready where blockedBy == nil && finding.isEnforced {
                switch finding.action {
                case .block:
                    rewriter.release(upTo: finding.byteSpan.lowerBound, original: bytes, base: base, into: &output)
                    blockedBy = finding
                case .redact:
                    rewriter.redact(
                        finding.byteSpan, with: policy.rules[rule].replacement, original: bytes, base: base,
                        into: &output)
                case .log:
                    break
                }
            }
            if blockedBy == nil { rewriter.release(upTo: hold, original: bytes, base: base, into: &output) }
        }
        let released = if let unchanged, !rewriter.hasRedacted, blockedBy == nil {
            unchanged
        } else {
            String(decoding: output, as: UTF8.self)
        }
        return StreamOutput(
            text: released, findings: ready.map(\.finding), blockedBy: blockedBy, edits: rewriter.takeEdits(),
            releasedThrough: rewriter.cursor)
    }

    /// Findings in the order the whole-text verdict applies them: by start, longer
    /// first, then by the rule's place in the policy, so that the merge of overlapping
    /// redactions and the choice of the blocking finding never depend on how the text
    /// was split.
    private static func textOrder(_ a: Waiting, _ b: Waiting) -> Bool {
        let (x, y) = (a.finding.byteSpan, b.finding.byteSpan)
        if x.lowerBound != y.lowerBound { return x.lowerBound < y.lowerBound }
        if x.upperBound != y.upperBound { return x.upperBound > y.upperBound }
        return a.rule < b.rule
    }

    /// A match with its span in original bytes.
    private struct OriginalMatch {
        var rule: Int
        var span: Range<Int>
        var failure: String?
    }

    private mutating func makeFinding(_ match: OriginalMatch) -> Finding {
        let rule = policy.rules[match.rule]
        let span = match.span
        let firstScalar = scalarIndex(at: span.lowerBound)
        return original.withUnsafeBufferPointer { bytes in
            let matched = UnsafeBufferPointer(rebasing: bytes[(span.lowerBound - base)..<(span.upperBound - base)])
            return Finding(
                kind: match.failure == nil ? .match : .engineError, ruleID: rule.id, pack: rule.pack,
                action: rule.action, mode: rule.mode, severity: rule.severity, byteSpan: span,
                characterSpan: firstScalar..<(firstScalar + ScalarCount.of(matched)),
                matchedText: String(decoding: matched, as: UTF8.self), detail: match.failure)
        }
    }

    /// The Unicode scalars before original offset `offset` (not before `base`); moves
    /// the anchor there, since the next finding usually lies close after it.
    private mutating func scalarIndex(at offset: Int) -> Int {
        let (from, to) = (min(offset, scalarAnchor.offset), max(offset, scalarAnchor.offset))
        let between = original.withUnsafeBufferPointer {
            ScalarCount.of(UnsafeBufferPointer(rebasing: $0[(from - base)..<(to - base)]))
        }
        scalarAnchor = (offset, scalarAnchor.scalars + (offset >= scalarAnchor.offset ? between : -between))
        return scalarAnchor.scalars
    }

    /// Forgets original bytes that nothing needs any more.
    private mutating func trim() {
        var keep = rewriter.cursor
        for index in policy.profiles.indices {
            policy.profiles[index].trim(&profiles[index])
            keep = min(keep, policy.profiles[index].originalRetainFrom(profiles[index]))
        }
        for (finding, _) in waiting { keep = min(keep, finding.byteSpan.lowerBound) }
        let drop = keep - base
        // Shifting the array costs its length; do it only once the dead prefix is
        // larger than what is live, so the work stays linear in the stream.
        guard drop > 0, drop >= original.count - drop else { return }
        if scalarAnchor.offset < keep { _ = scalarIndex(at: keep) }
        original.removeFirst(drop)
        base = keep
    }

    private func characterCount(from start: Int, to end: Int) -> Int {
        original.withUnsafeBufferPointer { ScalarCount.of(UnsafeBufferPointer(rebasing: $0[(start - base)..<(end - base)])) }
    }

    /// The offset `count` characters before `end`.
    private func offset(keepingCharacters count: Int, before end: Int) -> Int {
        var offset = end
        var remaining = count
        original.withUnsafeBufferPointer { bytes in
            while offset > base, remaining > 0 {
                offset -= 1
                if bytes[offset - base] & 0xC0 != 0x80 { remaining -= 1 }
            }
        }
        return offset
    }
}

/// What one step of a stream releases.
public struct StreamOutput: Sendable, Hashable {
    /// Text that may be shown now.
    public var text: String
    /// Findings decided in this step, in text order (shadow and log ones included).
    public var findings: [Finding]
    /// Set once an enforced blocking rule fired; nothing more will be released.
    public var blockedBy: Finding?
    /// How `text` differs from the original: the redactions written in this step, in
    /// original UTF-8 offsets. Lets a caller that keeps the original pieces (stream
    /// events) tell which of them changed and rewrite only those.
    public var edits: [TextEdit]
    /// Original UTF-8 offset up to which the text is decided (released or, after a
    /// block, cut off).
    public var releasedThrough: Int
}

/// One change the filter made to the original text: `originalSpan` is shown as
/// `replacement` (empty when a redaction grows over more original text).
public struct TextEdit: Sendable, Hashable {
    public var originalSpan: Range<Int>
    public var replacement: String

    public init(originalSpan: Range<Int>, replacement: String) {
        self.originalSpan = originalSpan
        self.replacement = replacement
    }
}
