import OutguardEngine

/// Holds the frames of one streamed response until the text they carry is decided,
/// then lets them go in order: unchanged frames as the upstream sent them, frames
/// with redacted text rewritten. DESIGN.md: hold events, not characters.
///
/// An adapter reads each frame, feeds its text pieces here (`feed`), marks the
/// segments that ended (`finish`), and queues the frame with its slots (`enqueue`);
/// `next()` then returns the frames that may be sent.
struct StreamRelay {
    /// A frame waiting for its text to be decided.
    struct Pending {
        var frame: StreamFrame
        var slots: [TextSlot]
    }

    /// A frame that may be sent, with the new text of each slot that changed.
    struct Ready {
        var frame: StreamFrame
        var changes: [(node: JSONNode, text: [UInt8])]
    }

    /// Why the response was stopped.
    struct Block {
        var segment: SegmentKey
        var finding: Finding
        var message: String
    }

    private let policy: Policy
    private let failClosed: Bool
    /// Whether each segment's original text is kept for the violation log.
    private let keepsText: Bool
    private var segments: [SegmentKey: SegmentText] = [:]
    private var queue: [Pending] = []
    private var head = 0
    /// Every finding so far, with the segment it was found in.
    private var findings: [(segment: SegmentKey, finding: Finding)] = []
    private(set) var block: Block?
    /// Set once the frames before a block are sent: nothing more goes out.
    private(set) var isClosed = false
    /// Bytes of the queued frames not sent yet: what the stream holds back.
    private(set) var heldBytes = 0

    init(policy: Policy, failClosed: Bool, keepsText: Bool) {
        self.policy = policy
        self.failClosed = failClosed
        self.keepsText = keepsText
    }

    var outcome: Verdict.Outcome { Verdict.Outcome(findings: findings.lazy.map(\.finding), blocked: block != nil) }

    /// Every text of the response, in answer order, with its findings.
    var texts: [FilteredText] {
        var texts = segments.map { FilteredText(segment: $0.key, original: $0.value.original ?? "", findings: []) }
        for (segment, finding) in findings {
            if let index = texts.firstIndex(where: { $0.segment == segment }) {
                texts[index].findings.append(finding)
            } else {
                texts.append(FilteredText(segment: segment, original: "", findings: [finding]))
            }
        }
        return texts.sorted { $0.segment.answerOrder < $1.segment.answerOrder }
    }

    /// Feeds the next piece of `segment`'s text; returns the slot for the node carrying it.
    mutating func feed(_ text: String, of segment: SegmentKey, at node: JSONNode) -> TextSlot {
        // Mutated in place: a copy out of the dictionary would copy the filter's buffers.
        let policy = self.policy
        let (start, output) = segments[
            segment, default: SegmentText(filter: policy.makeStreamFilter(), keepsOriginal: keepsText)
        ].feed(text)
        record(output, of: segment)
        return TextSlot(segment: segment, node: node, role: .delta(start: start, original: Array(text.utf8)))
    }

    /// The segment's text is complete (the upstream said so).
    mutating func finish(_ segment: SegmentKey) {
        guard let state = segments[segment], !state.finished else { return }
        let output = segments[segment]!.finish()
        record(output, of: segment)
    }

    /// Ends every segment `matching` selects (all of them when the upstream's stream ended).
    mutating func finishAll(matching: (SegmentKey) -> Bool = { _ in true }) {
        for key in segments.keys.sorted(by: { $0.answerOrder < $1.answerOrder }) where matching(key) {
            finish(key)
        }
    }

    /// A slot that repeats `segment`'s whole text; the segment ends here.
    mutating func whole(_ original: String, of segment: SegmentKey, at node: JSONNode) -> TextSlot {
        if segments[segment] == nil { _ = feed(original, of: segment, at: node) }
        finish(segment)
        return TextSlot(segment: segment, node: node, role: .whole(original: original))
    }

    mutating func enqueue(_ frame: StreamFrame, slots: [TextSlot]) {
        guard !isClosed else { return }
        queue.append(Pending(frame: frame, slots: slots))
        heldBytes += frame.raw.count
    }

    /// The next frame that may be sent, or nil when the first waiting one is not
    /// decided yet (or the response was stopped).
    mutating func next() -> Ready? {
        guard !isClosed, head < queue.count else { return nil }
        // After a block only frames up to the last one with text before the cut may go:
        // a later frame (a block's end event, say) would come before the closing frames.
        if block != nil && head > lastFrameBeforeCut() { return close() }
        let pending = queue[head]
        var changes: [(node: JSONNode, text: [UInt8])] = []
        for slot in pending.slots {
            guard let state = segments[slot.segment] else { continue }
            switch slot.role {
            case .delta(let start, let original):
                if let cut = state.cut, start >= cut, !original.isEmpty || start > cut { return close() }
                guard state.isDecided(through: start + original.count) else { return nil }
                if let text = state.shownText(start: start, original: original) { changes.append((slot.node, text)) }
            case .whole(let original):
                if state.cut != nil { return close() }
                guard state.finished else { return nil }
                if state.shown != original { changes.append((slot.node, Array(state.shown.utf8))) }
            }
        }
        head += 1
        heldBytes -= pending.frame.raw.count
        if head > 64 && head * 2 > queue.count {
            queue.removeFirst(head)
            head = 0
        }
        return Ready(frame: pending.frame, changes: changes)
    }

    /// The queue position of the last frame carrying text before a cut (`head - 1` when none).
    private func lastFrameBeforeCut() -> Int {
        var last = head - 1
        for position in head..<queue.count {
            for slot in queue[position].slots {
                guard case .delta(let start, _) = slot.role, let cut = segments[slot.segment]?.cut, start < cut else {
                    continue
                }
                last = position
            }
        }
        return last
    }

    /// Stops the response where it is (a frame that cannot be read, in closed mode):
    /// what is queued goes out only as far as it is decided.
    mutating func stop(message: String) {
        guard block == nil else { return }
        // The first segment in answer order: a dictionary's order would differ run to run.
        let segment = segments.keys.min { $0.answerOrder < $1.answerOrder } ?? SegmentKey(index: 0)
        for key in segments.keys {
            segments[key]!.cut(at: segments[key]!.released)
        }
        let finding = Finding(
            kind: .engineError, ruleID: "outguard.malformed", pack: "outguard", action: .block, mode: .enforce,
            severity: .high, byteSpan: 0..<0, characterSpan: 0..<0, matchedText: "",
            detail: "the upstream sent a frame that is not valid JSON")
        findings.append((segment, finding))
        block = Block(segment: segment, finding: finding, message: message)
    }

    /// Once blocked, the frames before the block point have gone out: drop the rest.
    private mutating func close() -> Ready? {
        isClosed = true
        queue.removeAll()
        head = 0
        heldBytes = 0
        return nil
    }

    private mutating func record(_ output: StreamOutput, of segment: SegmentKey) {
        for finding in output.findings { findings.append((segment, finding)) }
        guard block == nil else { return }
        guard
            let (finding, message) = policy.stop(
                blockedBy: output.blockedBy, findings: output.findings, failClosed: failClosed)
        else { return }
        // Nothing from the stopping finding on is shown.
        segments[segment]?.cut(at: finding.byteSpan.lowerBound)
        block = Block(segment: segment, finding: finding, message: message)
    }
}
