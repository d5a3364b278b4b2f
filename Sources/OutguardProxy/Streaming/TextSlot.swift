/// A JSON string inside a stream frame that carries filtered text.
///
/// Plain values only: a frame's slots are copied as it is queued and released, and a
/// slot that held the parsed document and the piece's text retained and released both
/// on every copy. The piece's text is decoded from the frame again in the rare case
/// that it must be rewritten.
struct TextSlot: Sendable {
    enum Role: Sendable {
        /// The next piece of the segment's text, `length` UTF-8 bytes at `start` in its
        /// original bytes.
        case delta(start: Int, length: Int)
        /// The segment's whole text, repeated (Responses `.done` events, `response.completed`).
        case whole(original: String)
    }

    var segment: SegmentKey
    /// The string's bytes in the frame's payload, quotes included.
    var range: Range<Int>
    var role: Role
}

/// The slots of one frame, in the order the adapter fed them. Nearly every frame
/// carries one piece of text, kept inline: queuing a frame allocates nothing for it.
struct FrameSlots: Sendable {
    private var first: TextSlot?
    private var more: [TextSlot]?

    var count: Int { first == nil ? 0 : 1 + (more?.count ?? 0) }

    /// The slot at `index`, which must be below `count`.
    subscript(index: Int) -> TextSlot { index == 0 ? first! : more![index - 1] }

    mutating func append(_ slot: TextSlot) {
        if first == nil {
            first = slot
        } else if more == nil {
            more = [slot]
        } else {
            more!.append(slot)
        }
    }
}
