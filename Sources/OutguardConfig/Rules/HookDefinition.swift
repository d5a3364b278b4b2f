/// A classifier service that classifier rules ask, declared under `hooks:` in any rule file.
public struct HookDefinition: Sendable, Hashable {
    /// What the hook does when the service fails or is too slow.
    public enum ErrorPolicy: String, Sendable, Hashable, CaseIterable {
        /// Fail open: treat the text as clean.
        case allow
        /// Fail closed: treat the text as flagged.
        case block
    }

    public static let defaultTimeoutMs = 300
    public static let defaultMaxConcurrency = 16
    public static let defaultCacheSize = 10_000

    /// The name rules use in `hook:`; unique across all files of a rule set.
    public var name: String
    public var url: String
    public var `protocol`: HookProtocol
    public var timeoutMs: Int
    public var onError: ErrorPolicy
    /// The most calls in flight at once, across all responses.
    public var maxConcurrency: Int
    /// How many answers to remember (LRU), so a repeated text costs no round trip; 0: none.
    public var cacheSize: Int
    /// Sent with every call, after Outguard's own headers.
    public var headers: [HookHeader]
    /// Where the hook's name was written.
    public var location: SourceLocation

    public init(
        name: String, url: String, protocol: HookProtocol, timeoutMs: Int = defaultTimeoutMs,
        onError: ErrorPolicy = .allow, maxConcurrency: Int = defaultMaxConcurrency,
        cacheSize: Int = defaultCacheSize, headers: [HookHeader] = [], location: SourceLocation
    ) {
        self.name = name
        self.url = url
        self.protocol = `protocol`
        self.timeoutMs = timeoutMs
        self.onError = onError
        self.maxConcurrency = maxConcurrency
        self.cacheSize = cacheSize
        self.headers = headers
        self.location = location
    }
}

/// The wire format a hook speaks.
public enum HookProtocol: String, Sendable, Hashable, CaseIterable {
    /// OpenAI's `/v1/moderations` request and response.
    case openaiModeration = "openai-moderation"
    /// Outguard's own format (see README).
    case outguard

    /// The categories OpenAI's moderation API scores (`category_scores`).
    public static let openAIModerationCategories = [
        "harassment", "harassment/threatening", "hate", "hate/threatening", "illicit", "illicit/violent",
        "self-harm", "self-harm/intent", "self-harm/instructions", "sexual", "sexual/minors", "violence",
        "violence/graphic",
    ]
}
