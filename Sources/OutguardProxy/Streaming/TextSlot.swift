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
