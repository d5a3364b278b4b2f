/// How a classifier rule's verdicts meet a streamed response.
public enum ClassifierStream: String, Sendable, Hashable, CaseIterable, Codable {
    /// A segment is released only after its verdict: nothing a classifier would block is
    /// ever shown, and the first byte waits for one round trip.
    case hold
    /// Text is released at once; a late block ends the stream with the provider's own
    /// terminal frame, so a flagged segment may have been shown briefly.
    case async
}

/// What a classifier rule sends to its hook.
public enum ClassifierScope: String, Sendable, Hashable, CaseIterable, Codable {
    /// Each segment (a sentence, or `segment_max_chars`) on its own.
    case segment
    /// Each segment, and once more the whole text when the response ends.
    case full
}

extension RuleDefinition {
    /// How many characters a classifier segment holds at most when no sentence ends first.
    public static let defaultSegmentMaxChars = 400
}
