/// A position as libyaml reports it: 0-based, counted in Unicode scalars.
struct YAMLMark: Sendable, Equatable {
    var index: Int
    var line: Int
    var column: Int
}

/// One libyaml parse event, copied into Swift values so that no C memory outlives the
/// call that produced it.
enum YAMLEvent {
    case streamStart
    case streamEnd
    case documentStart(YAMLMark)
    case documentEnd
    case alias(anchor: String, start: YAMLMark)
    case scalar(Scalar)
    /// `start` is at the anchor or tag when there is one; `end` is at or just after the
    /// collection's own first token (`[`, `-`, the first key).
    case sequenceStart(anchor: String?, start: YAMLMark, end: YAMLMark)
    case sequenceEnd
    case mappingStart(anchor: String?, start: YAMLMark, end: YAMLMark)
    case mappingEnd

    /// A scalar event; `start` is at its anchor or tag when it has one, `end` after it.
    struct Scalar {
        var anchor: String?
        var value: String
        var style: YAMLScalar.Style
        var start: YAMLMark
        var end: YAMLMark
    }
}

/// What libyaml said when it could not read the text.
struct YAMLSyntaxError: Error {
    /// Where the problem is: a mark for scanner and parser errors; reader errors (bad
    /// encoding, control characters) only know the byte offset.
    enum Place {
        case mark(YAMLMark)
        case byteOffset(Int)
    }

    var problem: String
    var place: Place
    /// What libyaml was reading when it failed, like "while parsing a block mapping".
    var context: String?
    var contextMark: YAMLMark?
}
