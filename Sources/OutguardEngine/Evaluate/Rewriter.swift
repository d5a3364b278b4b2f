/// Writes the released text: original text, with each enforced redaction group
/// replaced once. Overlapping redactions merge into one group that keeps the
/// replacement of the finding that starts first.
struct Rewriter {
    /// Original offset up to which the output is decided.
    private(set) var cursor = 0
    /// End of the redaction group being skipped (≤ cursor: none).
    private var redactionEnd = 0
    /// Whether any redaction was written.
    private(set) var hasRedacted = false
    /// The changes written since the last `takeEdits()`.
    private var edits: [TextEdit] = []

    /// Appends the original text from the cursor to `offset`, minus what a redaction
    /// covers, to `output`.
    mutating func release(upTo offset: Int, original: UnsafeBufferPointer<UInt8>, base: Int, into output: inout [UInt8]) {
        guard offset > cursor else { return }
        let from = max(cursor, redactionEnd)
        if offset > from { output.append(contentsOf: original[(from - base)..<(offset - base)]) }
        cursor = offset
    }

    /// Moves the cursor to `offset` when that releases plain original text (no
    /// redaction in the way), returning the original range to show; nil otherwise.
    mutating func plainRelease(upTo offset: Int) -> Range<Int>? {
        guard redactionEnd <= cursor else { return nil }
        let from = cursor
        cursor = max(cursor, offset)
        return from..<cursor
    }

    mutating func redact(
        _ span: Range<Int>, with replacement: String, original: UnsafeBufferPointer<UInt8>, base: Int,
        into output: inout [UInt8]
    ) {
        release(upTo: span.lowerBound, original: original, base: base, into: &output)
        if max(span.lowerBound, cursor) < redactionEnd {
            // The group grows: the extra original text is dropped, nothing is written.
            if span.upperBound > redactionEnd { edits.append(TextEdit(originalSpan: redactionEnd..<span.upperBound, replacement: "")) }
            redactionEnd = max(redactionEnd, span.upperBound)
        } else {
            output.append(contentsOf: replacement.utf8)
            edits.append(TextEdit(originalSpan: span, replacement: replacement))
            redactionEnd = span.upperBound
            hasRedacted = true
        }
    }

    /// The changes written since the last call, in text order.
    mutating func takeEdits() -> [TextEdit] {
        defer { edits.removeAll(keepingCapacity: true) }
        return edits
    }
}
