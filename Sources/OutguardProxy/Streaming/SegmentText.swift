import OutguardEngine
import OutguardHooks

/// One text of a response being filtered (a streamed segment, or a whole answer's text):
/// its `StreamFilter`, its classifier units when the policy has classifier rules, and
/// what both decided so far, in original offsets.
///
/// A class: a relay looks its segments up on every frame, and a struct copied out of
/// the dictionary would retain each of the filter's buffers, and copy them on change.
final class SegmentText {
    /// What ends the text early: an enforced block, or a rule that could not decide
    /// when that fails closed.
    struct Stop {
        var finding: Finding
        var message: String
        /// Where the text is cut, in original UTF-8 bytes.
        var at: Int
    }

    private let policy: Policy
    private let failClosed: Bool
    private var filter: StreamFilter
    private var gate: ClassifierGate?
    /// Original bytes fed.
    private(set) var fed = 0
    /// Original offset up to which the engine decided the text.
    private(set) var released = 0
    /// Every change made so far, in text order.
    private(set) var edits: [TextEdit] = []
    /// The text the engine released so far (for slots that repeat the whole text).
    private var shown = ""
    private(set) var finished = false
    /// Where the text is cut off by a stop.
    private(set) var cut: Int?
    /// The earliest stop so far.
    private(set) var stop: Stop?
    /// The whole original text, kept for the violation log, or when a classifier may
    /// rewrite a text that is repeated whole (nil otherwise).
    var original: String? { kept.map { String(decoding: $0, as: UTF8.self) } }
    private var kept: [UInt8]?
    /// Classifier questions about the units completed so far, not yet handed out.
    private(set) var calls: [ClassifierGate.Call] = []
    /// Text fed and not scanned yet, as UTF-8 (checked as it was fed).
    private var unscanned: [UInt8] = []

    init(policy: Policy, failClosed: Bool, classifiers: ClassifierPlan?, keepsOriginal: Bool) {
        self.policy = policy
        self.failClosed = failClosed
        filter = policy.makeStreamFilter()
        gate = classifiers.map(ClassifierGate.init(plan:))
        kept = keepsOriginal || classifiers != nil ? [] : nil
    }

    /// Takes the next piece; returns where it lies in the text's original UTF-8 bytes.
    /// `scan()` then runs the rules over every piece taken since the last scan in one
    /// step: the engine's fixed cost per step is most of what a short piece costs, and
    /// an upstream read often carries many events. The result does not depend on how the
    /// text is cut (the engine's chunking invariance), so scanning a read's pieces
    /// together changes nothing else.
    func feed(_ piece: String) -> Range<Int> {
        var piece = piece
        return piece.withUTF8(append)
    }

    /// `feed` for a piece as bytes (a stream event's string, in place); bytes that are
    /// not UTF-8 are replaced with U+FFFD, as a `String` made of them would be.
    func feed(utf8 piece: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        // Checked where it lies: a `String` made of each piece cost an allocation per event.
        guard (try? UTF8Span(validating: piece.span)) != nil else {
            var repaired = String(decoding: piece, as: UTF8.self)
            return repaired.withUTF8(append)
        }
        return append(piece)
    }

    private func append(_ piece: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        let start = fed
        fed += piece.count
        kept?.append(contentsOf: piece)
        unscanned.append(contentsOf: piece)
        return start..<fed
    }

    /// Runs the rules over the pieces fed since the last scan; returns the findings
    /// decided.
    func scan() -> [Finding] {
        guard !unscanned.isEmpty else { return [] }
        return step(final: false)
    }

    /// The text ended: scans what is left in the last step; returns the findings decided.
    func finish() -> [Finding] {
        finished = true
        return step(final: true)
    }

    /// One engine step over the pieces not scanned yet. The last step takes them too: the
    /// engine searches it for whole matches only, where an earlier step would also look
    /// for matches that more text could complete (a stream's last read usually brings
    /// its end with it).
    private func step(final: Bool) -> [Finding] {
        // Every piece was checked (or repaired) as it was fed: the string is made without
        // checking the whole again.
        let text = unscanned.withUnsafeBufferPointer { String(copying: UTF8Span(unchecked: $0.span)) }
        let start = fed - unscanned.count
        unscanned.removeAll(keepingCapacity: true)
        let findings = record(final ? filter.finish(text) : filter.feed(text))
        // Past a stop nothing is shown, so nothing past it is asked.
        if !text.isEmpty, let asked = gate?.feed(cut.map { Self.prefix(of: text, bytes: $0 - start) } ?? text) {
            calls += asked
        }
        if final, let asked = gate?.finish() { calls += asked }
        return findings
    }

    /// The first `count` UTF-8 bytes of `text` (none when `count` is not positive).
    private static func prefix(of text: String, bytes count: Int) -> String {
        count <= 0 ? "" : String(decoding: text.utf8.prefix(count), as: UTF8.self)
    }

    /// Hands out the classifier questions asked so far.
    func takeCalls() -> [ClassifierGate.Call] {
        defer { calls.removeAll() }
        return calls
    }

    /// A hook's answer about one unit; returns the findings it decided.
    func answer(_ result: HookResult, lane: Int, unit: Int) -> [Finding] {
        guard let decisions = gate?.answer(result, lane: lane, unit: unit) else { return [] }
        var findings: [Finding] = []
        for decision in decisions {
            findings += decision.findings
            if let (finding, message) = decision.stop {
                // Text the engine still holds may be the start of a match that runs into
                // the stopped unit: it is not shown either.
                stop(finding, message: message, at: min(decision.start, released))
            } else if let redaction = decision.redaction {
                // In text order, a longer edit first at the same start, as `shownText` reads them.
                let position =
                    edits.firstIndex {
                        $0.originalSpan.lowerBound > redaction.originalSpan.lowerBound
                            || ($0.originalSpan.lowerBound == redaction.originalSpan.lowerBound
                                && $0.originalSpan.upperBound < redaction.originalSpan.upperBound)
                    } ?? edits.endIndex
                edits.insert(redaction, at: position)
            }
        }
        return findings
    }

    /// Stops the text at `offset` (a frame that cannot be read, in closed mode).
    func cut(at offset: Int) {
        cut = min(cut ?? offset, max(offset, 0))
    }

    private func stop(_ finding: Finding, message: String, at offset: Int) {
        cut(at: offset)
        if stop.map({ offset < $0.at }) ?? true { stop = Stop(finding: finding, message: message, at: offset) }
    }

    private func record(_ output: StreamOutput) -> [Finding] {
        released = output.releasedThrough
        edits += output.edits
        shown += output.text
        if let (finding, message) = policy.stop(
            blockedBy: output.blockedBy, findings: output.findings, failClosed: failClosed)
        {
            // Nothing from the stopping finding on is shown.
            stop(finding, message: message, at: finding.byteSpan.lowerBound)
        }
        return output.findings
    }

    /// Whether a delta slot ending at `end` is decided: by the engine, and by every
    /// classifier verdict that holds text back.
    func isDecided(through end: Int) -> Bool {
        let limit = min(end, cut ?? end)
        return (released >= limit || finished) && (gate?.heldFrom ?? .max) >= limit
    }

    /// Whether the text ended and every verdict about it is in (or it was stopped).
    var isComplete: Bool { cut != nil || (finished && (gate?.isSettled ?? true)) }

    /// The whole text as shown, once complete.
    var shownWhole: String {
        guard let original, gate != nil else { return shown }
        return shownText(start: 0, original: original).map { String(decoding: $0, as: UTF8.self) } ?? original
    }

    /// The text to show for the original piece at `start`: edits applied, cut off at a
    /// stop; nil when the piece is shown unchanged.
    func shownText(start: Int, original text: String) -> [UInt8]? {
        shownText(start: start, length: text.utf8.count) { Array(text.utf8) }
    }

    /// The text to show for the piece of `length` original bytes at `start`;
    /// `original` gives its bytes, asked for only when the piece changes.
    func shownText(start: Int, length: Int, original: () -> [UInt8]) -> [UInt8]? {
        let end = start + length
        let limit = min(end, cut ?? end)
        let touching = edits.filter { $0.originalSpan.lowerBound < limit && $0.originalSpan.upperBound > start }
        if touching.isEmpty && limit == end { return nil }
        let original = original()
        var output: [UInt8] = []
        var cursor = start
        for edit in touching {
            if edit.originalSpan.lowerBound >= cursor {
                output += original[(cursor - start)..<(edit.originalSpan.lowerBound - start)]
                output += Array(edit.replacement.utf8)
            }
            cursor = max(cursor, min(edit.originalSpan.upperBound, limit))
        }
        if cursor < limit { output += original[(cursor - start)..<(limit - start)] }
        return output
    }
}
