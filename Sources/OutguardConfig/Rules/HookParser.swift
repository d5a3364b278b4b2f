import Foundation

/// Reads the `hooks:` of a rule file: the classifier services that classifier rules ask.
enum HookParser {
    /// A hook that answers slower than this is broken, not slow.
    static let timeoutRange = 1...60_000
    static let maxConcurrencyRange = 1...4096
    static let cacheSizeRange = 0...10_000_000
    private static let moderationExample = example(named: "moderation")

    /// How to declare a hook, for fix sentences.
    static func example(named name: String) -> String {
        "hooks: {\(name): {url: http://127.0.0.1:9090/v1/moderations, protocol: openai-moderation}}"
    }

    /// Every hook name declared, with its definition when it has no mistakes: the checks
    /// across files need the names of broken hooks too.
    static func parse(_ node: YAMLNode, reader: inout FieldReader) -> [(name: YAMLScalar, hook: HookDefinition?)] {
        if node.isNull { return [] }
        guard let mapping = node.mapping else {
            reader.error(at: node.location, "`hooks` must be a mapping from hook names to their settings",
                         fix: "write it like `\(moderationExample)`")
            return []
        }
        return reader.fields(of: mapping).entries.map { name, value in
            (name, hook(named: name, value, reader: &reader))
        }
    }

    private static func hook(named name: YAMLScalar, _ node: YAMLNode, reader: inout FieldReader) -> HookDefinition? {
        let errorsBefore = reader.errorCount
        _ = reader.checkIdentifier(name, noun: "hook name")
        guard let mapping = node.mapping else {
            reader.error(at: node.location, "hook `\(name.value)` must be a mapping with `url` and `protocol`",
                         fix: "write it like `\(moderationExample)`")
            return nil
        }
        let fields = reader.fields(of: mapping)
        reader.rejectUnknownKeys(in: fields, allowed: RuleFileSchema.orderedHookKeys, of: "a hook")
        for key in ["url", "protocol"] where !fields.has(key) {
            reader.error(at: name.location, "hook `\(name.value)` has no `\(key)`",
                         fix: "add it, like `\(RuleFileSchema.example(for: key))`")
        }
        let url = reader.string(fields, "url")
        if let url, !isHTTPURL(url.value) {
            reader.error(at: url.location, "`url` must be an http:// or https:// URL",
                         fix: "write it like `\(RuleFileSchema.example(for: "url"))`")
        }
        let hookProtocol = reader.choice(fields, "protocol", noun: "hook protocol", options: HookProtocol.named)
        let timeout = reader.integer(fields, "timeout_ms")
        if let timeout, !timeoutRange.contains(timeout), let written = fields["timeout_ms"] {
            reader.error(at: written.location,
                         "`timeout_ms` must be between \(timeoutRange.lowerBound) and \(timeoutRange.upperBound)",
                         fix: "write how many milliseconds to wait, like `\(RuleFileSchema.example(for: "timeout_ms"))`")
        }
        let onError = reader.choice(fields, "on_error", noun: "`on_error` value", options: HookDefinition.ErrorPolicy.named)
        let maxConcurrency = integer(fields, "max_concurrency", in: maxConcurrencyRange, meaning: "how many calls may be in flight at once", reader: &reader)
        let cacheSize = integer(fields, "cache_size", in: cacheSizeRange, meaning: "how many answers to remember, or 0 for none", reader: &reader)
        let headers = fields["headers"].map { self.headers($0, reader: &reader) } ?? []

        guard reader.errorCount == errorsBefore, let url, let hookProtocol else { return nil }
        return HookDefinition(
            name: name.value, url: url.value, protocol: hookProtocol,
            timeoutMs: timeout ?? HookDefinition.defaultTimeoutMs, onError: onError ?? .allow,
            maxConcurrency: maxConcurrency ?? HookDefinition.defaultMaxConcurrency,
            cacheSize: cacheSize ?? HookDefinition.defaultCacheSize, headers: headers, location: name.location)
    }

    private static func integer(
        _ fields: Fields, _ key: String, in range: ClosedRange<Int>, meaning: String, reader: inout FieldReader
    ) -> Int? {
        guard let value = reader.integer(fields, key) else { return nil }
        if !range.contains(value), let written = fields[key] {
            reader.error(at: written.location, "`\(key)` must be between \(range.lowerBound) and \(range.upperBound)",
                         fix: "write \(meaning), like `\(RuleFileSchema.example(for: key))`")
            return nil
        }
        return value
    }

    /// `headers:`, a mapping of header names to values that may read `${VARIABLES}`.
    private static func headers(_ node: YAMLNode, reader: inout FieldReader) -> [HookHeader] {
        let example = RuleFileSchema.example(for: "headers")
        guard let mapping = node.mapping else {
            reader.error(at: node.location, "`headers` must be a mapping of header names to values",
                         fix: "write it like `\(example)`")
            return []
        }
        var headers: [HookHeader] = []
        var seen: [String: SourceLocation] = [:]
        for (name, value) in reader.fields(of: mapping).entries {
            guard HookHeader.isHeaderName(name.value) else {
                reader.error(at: name.location, "`\(name.value)` is not a valid header name",
                             fix: "use letters, digits and `-`, like `Authorization` or `X-Api-Key`")
                continue
            }
            let lowered = name.value.lowercased()
            if HookHeader.reservedNames.contains(lowered) {
                reader.error(at: name.location, "Outguard sets `\(name.value)` itself",
                             fix: "remove it; Outguard sends Host, Content-Type, Content-Length and Connection on every call")
                continue
            }
            if let first = seen[lowered] {
                reader.error(at: name.location, "header `\(name.value)` is already set at line \(first.line)",
                             fix: "header names ignore case; keep one of them")
                continue
            }
            seen[lowered] = name.location
            guard let scalar = value.scalar, !scalar.isNull else {
                reader.error(at: value.location, "header `\(name.value)` must have a text value",
                             fix: "write it like `\(example)`; `${NAME}` reads an environment variable")
                continue
            }
            switch HookHeader.parts(of: scalar.value) {
            case .failure(let problem):
                reader.error(at: scalar.location(ofCharacterOffset: problem.offset), problem.message, fix: problem.fix)
            case .success(let parts):
                let header = HookHeader(name: name.value, parts: parts, location: name.location)
                if HookHeader.secretNames.contains(lowered) && header.variables.isEmpty {
                    reader.warning(at: scalar.location, "header `\(name.value)` holds its secret in the rule file",
                                   fix: "put the secret in an environment variable and write `${NAME}`, like `\(example)`")
                }
                headers.append(header)
            }
        }
        return headers
    }

    private static func isHTTPURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host else { return false }
        return (scheme == "http" || scheme == "https") && !host.isEmpty
    }
}
