/// Bounds that keep one evaluation cheap whatever the text.
public struct EngineLimits: Sendable, Hashable {
    /// PCRE2 match limit per search: a catastrophic pattern on hostile text stops here
    /// with an `engine_error` finding instead of hanging.
    public var regexMatchLimit: UInt32 = 1_000_000
    /// PCRE2 backtracking depth limit (interpreter only; the JIT is bounded by its stack).
    public var regexDepthLimit: UInt32 = 10_000
    /// A stream holds back at most this many characters; past it text is released even
    /// if it might still become a match, and the event is counted.
    public var maxHoldback: Int = 512

    public init() {}
}
