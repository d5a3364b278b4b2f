/// A JSON string inside a stream frame that carries filtered text.
struct TextSlot: Sendable {
    enum Role: Sendable {
        /// The next piece of the segment's text, at `start` in its original bytes.
        case delta(start: Int, original: String)
        /// The segment's whole text, repeated (Responses `.done` events, `response.completed`).
        case whole(original: String)
    }

    var segment: SegmentKey
    var node: JSONNode
    var role: Role
}
