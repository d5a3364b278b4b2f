import OutguardEngine

/// One segment of a streamed response being filtered: its `StreamFilter` and what the
/// filter decided so far, in original offsets.
struct SegmentText {
    private var filter: StreamFilter
    /// Original bytes fed.
    private(set) var fed = 0
    /// Original offset up to which the text is decided.
    private(set) var released = 0
    /// Every change made so far, in text order.
    private(set) var edits: [TextEdit] = []
    /// The text shown so far (for slots that repeat the whole text).
    private(set) var shown = ""
    private(set) var finished = false
    /// Where the text is cut off by a block.
    private(set) var cut: Int?
    /// The whole original text, kept only for the violation log (nil when it is off).
    private(set) var original: String?

    init(filter: StreamFilter, keepsOriginal: Bool) {
        self.filter = filter
        original = keepsOriginal ? "" : nil
    }

    /// Feeds the next piece; returns where it starts and the findings decided.
    mutating func feed(_ piece: String) -> (start: Int, output: StreamOutput) {
        let start = fed
        fed += piece.utf8.count
        original? += piece
        return (start, record(filter.feed(piece)))
    }

    mutating func finish() -> StreamOutput {
        finished = true
        return record(filter.finish())
    }

    /// Stops the text at `offset` (a block, or an engine error in closed mode).
    mutating func cut(at offset: Int) {
        cut = min(cut ?? offset, max(offset, 0))
    }

    private mutating func record(_ output: StreamOutput) -> StreamOutput {
        released = output.releasedThrough
        edits += output.edits
        shown += output.text
        return output
    }

    /// Whether a delta slot ending at `end` is decided.
    func isDecided(through end: Int) -> Bool { released >= end || finished || cut != nil }

    /// The text to show for the original piece at `start`: edits applied, cut off at a
    /// block; nil when the piece is shown unchanged.
    func shownText(start: Int, original: [UInt8]) -> [UInt8]? {
        let end = start + original.count
        let limit = min(end, cut ?? end)
        let touching = edits.filter { $0.originalSpan.lowerBound < limit && $0.originalSpan.upperBound > start }
        if touching.isEmpty && limit == end { return nil }
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
