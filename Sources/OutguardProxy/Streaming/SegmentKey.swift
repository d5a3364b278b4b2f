/// Which text of a response a piece belongs to: each is filtered on its own, as one
/// text (a choice's content, a content block, a tool call's arguments).
struct SegmentKey: Hashable, Sendable {
    enum Field: UInt8, Sendable {
        case text, refusal, toolArguments
    }

    /// The choice, candidate or output item.
    var index: Int
    /// The content block or part inside it (the tool call's index for arguments).
    var part: Int = 0
    var field: Field = .text
}

extension SegmentKey {
    /// Sorts segments as the answer reads: by choice, then part, then field.
    var answerOrder: (Int, Int, UInt8) { (index, part, field.rawValue) }
}
