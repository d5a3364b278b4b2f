import OutguardEngine
import OutguardHooks

/// Holds the frames of one streamed response until the text they carry is decided,
/// then lets them go in order: unchanged frames as the upstream sent them, frames
/// with redacted text rewritten. DESIGN.md: hold events, not characters.
///
/// An adapter reads each frame, feeds its text pieces here (`feed`, `whole`), marks
/// the segments that ended (`finish`), and the frame is queued with the slots fed
/// (`enqueue`); `next()` then returns the frames that may be sent.
///
/// With classifier rules, text also waits for their verdicts (`stream: hold`), and a
/// frame that comes after a segment's end waits until every verdict about the segment
/// is in, so that a late block still replaces the stream's normal end.
struct StreamRelay {
    /// A frame waiting for its text to be decided.
    struct Pending {
        /// nil once the frame was sent (moved out: a copy would retain its buffer).
        var frame: StreamFrame?
        var slots: FrameSlots
        /// Ended segments whose verdicts must all be in before the frame goes.
        var awaits: [SegmentKey] = []
    }

    /// A frame that may be sent, with the new text of each slot that changed.
    struct Ready {
        var frame: StreamFrame
        /// The payload's strings to replace (their ranges) and their new text.
        var changes: [(range: Range<Int>, text: [UInt8])]
    }

    /// Why the response was stopped.
    struct Block {
        var segment: SegmentKey
        var finding: Finding
        var message: String
        /// Where the segment's text is cut, in its original UTF-8 bytes.
        var at: Int
    }

    private let policy: Policy
    private let failClosed: Bool
    private let classifiers: ClassifierPlan?
    /// Whether each segment's original text is kept for the violation log.
    private let keepsText: Bool
    private var segments: [SegmentKey: SegmentText] = [:]
    /// The segment looked up last. Nearly every stream has one segment, looked up a few
    /// times per frame, and hashing its key each time was a visible part of a frame's cost.
    private var lastLookup: (key: SegmentKey, state: SegmentText)?
    /// Segments fed since the last scan, in the order they were first fed.
    private var unscanned: [SegmentKey] = []
    private var queue: [Pending] = []
    /// The slots of the frame being read, which `enqueue` queues.
    private var reading = FrameSlots()
    private var head = 0
    /// Every finding so far, with the segment it was found in.
    private var findings: [(segment: SegmentKey, finding: Finding)] = []
    private(set) var block: Block?
    /// Set once the frames before a block are sent: nothing more goes out.
    private(set) var isClosed = false
    /// Bytes of the queued frames not sent yet: what the stream holds back.
    private(set) var heldBytes = 0

    init(policy: Policy, failClosed: Bool, classifiers: ClassifierPlan? = nil, keepsText: Bool) {
        self.policy = policy
        self.failClosed = failClosed
        self.classifiers = classifiers
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

    /// Feeds the next piece of `segment`'s text: the string `node` of the frame being
    /// read (nothing, when `node` is not a string).
    mutating func feed(_ text: JSONView, of segment: SegmentKey) {
        guard let piece = text.withUTF8({ state(feeding: segment).feed(utf8: $0) }) else { return }
        if !unscanned.contains(segment) { unscanned.append(segment) }
        let role = TextSlot.Role.delta(start: piece.lowerBound, length: piece.count)
        reading.append(TextSlot(segment: segment, range: text.range, role: role))
    }

    /// The segment's state, made when it is fed for the first time.
    private mutating func state(feeding segment: SegmentKey) -> SegmentText {
        let state: SegmentText
        if let known = self.state(of: segment) {
            state = known
        } else {
            state = SegmentText(policy: policy, failClosed: failClosed, classifiers: classifiers, keepsOriginal: keepsText)
            segments[segment] = state
        }
        return state
    }

    /// Runs the rules over the text fed since the last scan, segment by segment.
    /// `next()` scans first, so no frame goes out before its text was scanned.
    mutating func scan() {
        for segment in unscanned {
            if let state = state(of: segment) { record(state.scan(), of: segment) }
        }
        unscanned.removeAll(keepingCapacity: true)
    }

    /// The segment's text is complete (the upstream said so).
    mutating func finish(_ segment: SegmentKey) {
        guard let state = state(of: segment), !state.finished else { return }
        record(state.finish(), of: segment)
    }

    /// The classifier questions asked since the last call, with their segments.
    mutating func takeCalls() -> [(segment: SegmentKey, call: ClassifierGate.Call)] {
        guard classifiers != nil else { return [] }
        scan()
        var calls: [(segment: SegmentKey, call: ClassifierGate.Call)] = []
        for (key, state) in segments.sorted(by: { $0.key.answerOrder < $1.key.answerOrder }) where !state.calls.isEmpty {
            calls += state.takeCalls().map { (key, $0) }
        }
        return calls
    }

    /// A hook's answer about one unit of `segment`.
    mutating func answer(_ result: HookResult, of segment: SegmentKey, lane: Int, unit: Int) {
        guard let state = segments[segment] else { return }
        record(state.answer(result, lane: lane, unit: unit), of: segment)
    }

    /// Whether every verdict is in: nothing more will arrive for the frames queued.
    var isSettled: Bool { segments.values.allSatisfy(\.isComplete) }

    /// Whether every frame queued has gone out (or was dropped after a block).
    var isDrained: Bool { isClosed || head >= queue.count }

    /// The upstream's stream ended: the frames still queued wait for every verdict, so
    /// that a late block comes before them.
    mutating func awaitVerdicts() {
        guard classifiers != nil else { return }
        let open = segments.compactMap { $0.value.isComplete ? nil : $0.key }
        for position in head..<queue.count { queue[position].awaits = open }
    }

    /// Ends every segment `matching` selects (all of them when the upstream's stream ended).
    mutating func finishAll(matching: (SegmentKey) -> Bool = { _ in true }) {
        for key in segments.keys.sorted(by: { $0.answerOrder < $1.answerOrder }) where matching(key) {
            finish(key)
        }
    }

    /// The string `node` of the frame being read repeats `segment`'s whole text; the
    /// segment ends here.
    mutating func whole(_ original: String, of segment: SegmentKey, at node: JSONNode) {
        if segments[segment] == nil {
            _ = state(feeding: segment).feed(original)
            unscanned.append(segment)
        }
        finish(segment)
        reading.append(TextSlot(segment: segment, range: node.range, role: .whole(original: original)))
    }

    /// Queues the frame just read, with the slots fed from it.
    mutating func enqueue(_ frame: consuming StreamFrame) {
        var slots = FrameSlots()
        swap(&slots, &reading)
        guard !isClosed else { return }
        var awaits: [SegmentKey] = []
        if classifiers != nil {
            awaits = segments.compactMap { $0.value.finished && !$0.value.isComplete ? $0.key : nil }
        }
        heldBytes += frame.raw.count
        queue.append(Pending(frame: consume frame, slots: slots, awaits: awaits))
    }

    /// The next frame that may be sent, or nil when the first waiting one is not
    /// decided yet (or the response was stopped).
    mutating func next() -> Ready? {
        guard !isClosed else { return nil }
        if !unscanned.isEmpty { scan() }
        // After a block only frames up to the last one with text before the cut may go:
        // a later frame (a block's end event, say) would come before the closing frames.
        if block != nil && head > lastFrameBeforeCut() { return close() }
        guard head < queue.count else { return nil }
        for segment in queue[head].awaits where state(of: segment)?.isComplete == false { return nil }
        var changes: [(range: Range<Int>, text: [UInt8])] = []
        for index in 0..<queue[head].slots.count {
            let slot = queue[head].slots[index]
            guard let state = state(of: slot.segment) else { continue }
            switch slot.role {
            case .delta(let start, let length):
                if let cut = state.cut, start >= cut, length > 0 || start > cut { return close() }
                guard state.isDecided(through: start + length) else { return nil }
                let shown = state.shownText(start: start, length: length) {
                    (queue[head].frame?.payload ?? []).withUnsafeBufferPointer {
                        Array(JSONParser.decodedString(in: $0, at: slot.range).utf8)
                    }
                }
                if let shown { changes.append((slot.range, shown)) }
            case .whole(let original):
                if state.cut != nil { return close() }
                guard state.isComplete else { return nil }
                let shown = state.shownWhole
                if shown != original { changes.append((slot.range, Array(shown.utf8))) }
            }
        }
        let frame = takeFrame(at: head)
        head += 1
        heldBytes -= frame.raw.count
        if head > 64 && head * 2 > queue.count {
            queue.removeFirst(head)
            head = 0
        }
        return Ready(frame: frame, changes: changes)
    }

    /// Moves a frame that is sent now out of the queue, which never reads it again.
    private mutating func takeFrame(at position: Int) -> StreamFrame {
        queue[position].slots = FrameSlots()
        return queue[position].frame.take() ?? .empty
    }

    private mutating func state(of segment: SegmentKey) -> SegmentText? {
        if let last = lastLookup, last.key == segment { return last.state }
        guard let state = segments[segment] else { return nil }
        lastLookup = (segment, state)
        return state
    }

    /// The queue position of the last frame carrying text before a cut (`head - 1` when none).
    private func lastFrameBeforeCut() -> Int {
        var last = head - 1
        for position in head..<queue.count {
            for index in 0..<queue[position].slots.count {
                let slot = queue[position].slots[index]
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
        scan()
        guard block == nil else { return }
        // The first segment in answer order: a dictionary's order would differ run to run.
        let segment = segments.keys.min { $0.answerOrder < $1.answerOrder } ?? SegmentKey(index: 0)
        for state in segments.values { state.cut(at: state.released) }
        let finding = Finding(
            kind: .engineError, ruleID: "outguard.malformed", pack: "outguard", action: .block, mode: .enforce,
            severity: .high, byteSpan: 0..<0, characterSpan: 0..<0, matchedText: "",
            detail: "the upstream sent a frame that is not valid JSON")
        findings.append((segment, finding))
        block = Block(segment: segment, finding: finding, message: message, at: segments[segment]?.cut ?? 0)
    }

    /// Once blocked, the frames before the block point have gone out: drop the rest.
    private mutating func close() -> Ready? {
        isClosed = true
        queue.removeAll()
        head = 0
        heldBytes = 0
        return nil
    }

    /// Keeps the findings; a segment's stop blocks the response, or moves its block
    /// earlier while the frames before it are still queued (a classifier's verdict about
    /// an earlier sentence can arrive after a later one's).
    private mutating func record(_ found: [Finding], of segment: SegmentKey) {
        for finding in found { findings.append((segment, finding)) }
        guard !isClosed, let stop = segments[segment]?.stop else { return }
        if let block, block.segment != segment || block.at <= stop.at { return }
        block = Block(segment: segment, finding: stop.finding, message: stop.message, at: stop.at)
    }
}
