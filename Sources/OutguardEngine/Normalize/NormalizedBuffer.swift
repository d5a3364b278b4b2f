/// The normalized UTF-8 text of one stream, growing at the end and forgotten at the
/// start, with the original bytes that every normalized byte came from.
///
/// Rules match normalized text, but a redaction must replace exactly the original
/// characters, so each normalized byte keeps its origin. Offsets are global: counted
/// from the start of the stream, in normalized bytes or in original bytes.
///
/// Origins are stored as runs, not per byte. An affine run maps byte for byte and
/// scalar for scalar: each of its Unicode scalars came from the original scalar at the
/// same offset, of the same UTF-8 length (unchanged text, ASCII case folding,
/// hiragana to katakana). One affine run can cover a whole response. A cluster run is
/// the output of one grapheme cluster that changed otherwise, and maps only as a
/// whole. A cluster that normalizes to nothing (a zero-width space) has no run at
/// all; it only moves `originalEnd`.
struct NormalizedBuffer {
    /// Where one run of normalized bytes came from. A run ends where the next begins.
    private struct Segment {
        var normalizedStart: Int
        var originalStart: Int
        var originalEnd: Int
        /// Maps as one unit; otherwise normalized byte `k` of the run came from
        /// original byte `originalStart + k`.
        var isCluster: Bool
    }

    /// Normalized bytes from global offset `storageStart`; those before `start` are
    /// dead and removed in bulk, so that forgetting costs O(1) per byte.
    private var storage: [UInt8] = []
    private var storageStart = 0
    private var segments: [Segment] = []
    /// Segments before this index are dead, removed in bulk like dead bytes.
    private var firstLiveSegment = 0

    /// The first normalized byte still held.
    private(set) var start = 0
    /// One past the last normalized byte.
    var end: Int { storageStart + storage.count }
    /// Original bytes consumed so far, including those that produced no normalized bytes.
    private(set) var originalEnd = 0

    init() {}

    /// Calls `body` with the normalized bytes from `start` to `end`.
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[(start - storageStart)...]))
        }
    }

    /// The original offset where the scalar holding normalized byte `normalized` came
    /// from; `originalEnd` at `end`.
    func originalOffset(ofNormalized normalized: Int) -> Int {
        precondition(start <= normalized && normalized <= end, "offset outside the buffer")
        if normalized == end { return originalEnd }
        let offset = scalarStart(normalized)
        let segment = segments[segmentIndex(containing: offset)]
        return segment.isCluster
            ? segment.originalStart
            : segment.originalStart + (offset - segment.normalizedStart)
    }

    /// The original bytes of exactly the characters that produced `normalized`: a range
    /// that cuts a scalar or touches part of a cluster's output covers the whole scalar
    /// or cluster, and characters dropped inside the range (zero-width) are covered too. An empty range gives an empty range where normalized byte
    /// `lowerBound` came from.
    func originalRange(of normalized: Range<Int>) -> Range<Int> {
        precondition(start <= normalized.lowerBound && normalized.upperBound <= end, "range outside the buffer")
        let lower = originalOffset(ofNormalized: normalized.lowerBound)
        guard !normalized.isEmpty else { return lower..<lower }
        let upperOffset = scalarEnd(normalized.upperBound)
        let last = segments[segmentIndex(containing: upperOffset - 1)]
        let upper =
            last.isCluster
            ? last.originalEnd
            : last.originalStart + (upperOffset - last.normalizedStart)
        return lower..<upper
    }

    /// Forgets the normalized bytes before `normalizedOffset` and the runs wholly before it.
    mutating func discard(before normalizedOffset: Int) {
        precondition(normalizedOffset <= end, "cannot discard past the end")
        guard normalizedOffset > start else { return }
        start = normalizedOffset
        while firstLiveSegment < segments.count && normalizedEnd(ofSegment: firstLiveSegment) <= start {
            firstLiveSegment += 1
        }
        // Removing a dead prefix only once it outweighs the live part keeps the
        // memmove cost proportional to the bytes that went through the buffer.
        let deadBytes = start - storageStart
        if deadBytes >= 4096 && deadBytes >= storage.count / 2 {
            storage.removeSubrange(..<deadBytes)
            storageStart = start
        }
        if firstLiveSegment >= 256 && firstLiveSegment >= segments.count / 2 {
            segments.removeSubrange(..<firstLiveSegment)
            firstLiveSegment = 0
        }
    }

    /// Appends normalized bytes that map byte for byte, scalar for scalar, to the next
    /// `bytes.count` original bytes.
    mutating func appendAffine(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard !bytes.isEmpty else { return }
        if let last = segments.indices.last, last >= firstLiveSegment,
            !segments[last].isCluster, segments[last].originalEnd == originalEnd
        {
            segments[last].originalEnd += bytes.count
        } else {
            segments.append(
                Segment(
                    normalizedStart: end, originalStart: originalEnd,
                    originalEnd: originalEnd + bytes.count, isCluster: false))
        }
        storage.append(contentsOf: bytes)
        originalEnd += bytes.count
    }

    /// Rewrites the last `count` bytes in place, for a change that keeps every byte's
    /// origin (ASCII case folding of bytes just appended as affine).
    mutating func rewriteLast(_ count: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) -> Void) {
        precondition(count <= end - start, "cannot rewrite bytes already discarded")
        storage.withUnsafeMutableBufferPointer { all in
            body(UnsafeMutableBufferPointer(rebasing: all[(all.count - count)...]))
        }
    }

    /// Appends the output of one grapheme cluster made of the next `originalCount`
    /// original bytes; an empty output only consumes them.
    mutating func appendCluster(_ normalized: UnsafeBufferPointer<UInt8>, originalCount: Int) {
        precondition(originalCount > 0, "a cluster has at least one original byte")
        if !normalized.isEmpty {
            segments.append(
                Segment(
                    normalizedStart: end, originalStart: originalEnd,
                    originalEnd: originalEnd + originalCount, isCluster: true))
            storage.append(contentsOf: normalized)
        }
        originalEnd += originalCount
    }

    /// `offset` moved back to the first byte of its UTF-8 sequence (never before `start`).
    func scalarStart(_ offset: Int) -> Int {
        var offset = offset
        while offset > start && offset < end && storage[offset - storageStart] & 0xC0 == 0x80 { offset -= 1 }
        return offset
    }

    /// `offset` moved forward past the UTF-8 sequence it cuts, if any.
    private func scalarEnd(_ offset: Int) -> Int {
        var offset = offset
        while offset < end && storage[offset - storageStart] & 0xC0 == 0x80 { offset += 1 }
        return offset
    }

    private func normalizedEnd(ofSegment index: Int) -> Int {
        index + 1 < segments.count ? segments[index + 1].normalizedStart : end
    }

    /// The live segment whose run holds normalized byte `offset` (start ≤ offset < end).
    private func segmentIndex(containing offset: Int) -> Int {
        var low = firstLiveSegment
        var high = segments.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if segments[middle].normalizedStart <= offset { low = middle } else { high = middle - 1 }
        }
        return low
    }
}
