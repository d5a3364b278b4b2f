/// What the proxy does with an answer when the engine or a hook fails (`fail_mode`).
public enum FailMode: String, Sendable, CaseIterable {
    /// Withhold the answer: nothing unchecked reaches the client.
    case closed
    /// Let the answer through unchecked: availability over filtering.
    case open
}
