import Foundation

/// Reads the `hooks:` of a rule file: the classifier services that classifier rules ask.
enum HookParser {
    /// A hook that answers slower than this is broken, not slow.
    static let timeoutRange = 1...60_000
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

        guard reader.errorCount == errorsBefore, let url, let hookProtocol else { return nil }
        return HookDefinition(
            name: name.value, url: url.value, protocol: hookProtocol,
            timeoutMs: timeout ?? HookDefinition.defaultTimeoutMs, onError: onError ?? .allow, location: name.location)
    }

    private static func isHTTPURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host else { return false }
        return (scheme == "http" || scheme == "https") && !host.isEmpty
    }
}
