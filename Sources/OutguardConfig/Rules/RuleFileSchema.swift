/// The keys a rule file may use, in one place: the loader checks against them, and a test
/// checks the published JSON Schema against them.
public enum RuleFileSchema {
    /// Keys at the top of a rule file.
    public static let topLevelKeys = Set(orderedTopLevelKeys)
    /// Keys of a rule, whatever its type.
    public static let ruleKeys = Set(orderedRuleKeys)
    /// Keys under a rule's `tests:`.
    public static let testsKeys = Set(orderedTestsKeys)
    /// Keys of one `tests.rewrite` case.
    public static let rewriteKeys = Set(orderedRewriteKeys)
    /// Keys of one hook under `hooks:`.
    public static let hookKeys = Set(orderedHookKeys)

    /// The keys of a rule that only some rule types use.
    public static func keys(onlyFor type: RuleType) -> Set<String> { Set(typeKeys(type)) }

    static let orderedTopLevelKeys = ["pack", "description", "rules", "hooks"]
    static let orderedTestsKeys = ["match", "no_match", "rewrite"]
    static let orderedRewriteKeys = ["input", "output"]
    static let orderedHookKeys = ["url", "protocol", "timeout_ms", "on_error", "max_concurrency", "cache_size", "headers"]

    /// Keys every rule may have.
    static let commonRuleKeys = [
        "id", "description", "type", "action", "replacement", "message", "severity", "mode", "tags",
        "enabled", "tests",
    ]
    /// Keys only rules of `type` may have.
    static func typeKeys(_ type: RuleType) -> [String] {
        switch type {
        case .regex: ["pattern", "flags", "validate", "normalize"]
        case .lexicon: ["terms", "terms_file", "exceptions", "normalize"]
        case .classifier: ["hook", "categories", "threshold", "stream", "scope", "segment_max_chars"]
        }
    }

    static let orderedRuleKeys = RuleType.allCases.reduce(commonRuleKeys) { keys, type in
        keys + typeKeys(type).filter { !keys.contains($0) }
    }

    /// The keys a rule of `type` may have, in the order the docs list them.
    static func orderedKeys(for type: RuleType) -> [String] {
        commonRuleKeys + typeKeys(type)
    }

    /// The rule types that use `key`, for "`pattern` belongs to regex rules".
    static func types(using key: String) -> [RuleType] {
        RuleType.allCases.filter { typeKeys($0).contains(key) }
    }

    /// How to write each value key, for fix sentences.
    static func example(for key: String) -> String {
        examples[key] ?? "\(key): …"
    }

    private static let examples: [String: String] = [
        "pack": "pack: pii",
        "description": "description: E-mail addresses",
        "id": "id: pii.email",
        "type": "type: regex",
        "pattern": #"pattern: '\d{3}-\d{4}'"#,
        "flags": "flags: [caseless]",
        "validate": "validate: luhn",
        "normalize": "normalize: [nfkc]",
        "terms": #"terms: ["Acme Corp"]"#,
        "terms_file": "terms_file: lexicons/competitors.txt",
        "exceptions": #"exceptions: ["Acme Cafe"]"#,
        "hook": "hook: moderation",
        "categories": "categories: [harassment]",
        "threshold": "threshold: 0.8",
        "stream": "stream: hold",
        "scope": "scope: full",
        "segment_max_chars": "segment_max_chars: 400",
        "action": "action: redact",
        "replacement": #"replacement: "[EMAIL]""#,
        "message": #"message: "I can't share that.""#,
        "severity": "severity: high",
        "mode": "mode: shadow",
        "tags": "tags: [pii]",
        "enabled": "enabled: false",
        "match": #"match: ["write to a@b.io"]"#,
        "no_match": #"no_match: ["see you at the office"]"#,
        "input": #"input: "mail a@b.io now""#,
        "output": #"output: "mail [EMAIL] now""#,
        "url": "url: http://127.0.0.1:9090/v1/moderations",
        "protocol": "protocol: openai-moderation",
        "timeout_ms": "timeout_ms: 300",
        "on_error": "on_error: allow",
        "max_concurrency": "max_concurrency: 16",
        "cache_size": "cache_size: 10000",
        "headers": #"headers: {Authorization: "Bearer ${OPENAI_API_KEY}"}"#,
    ]
}

/// What a rule looks for, as the `type:` key names it.
public enum RuleType: String, Sendable, Hashable, CaseIterable {
    case regex, lexicon, classifier
}
