/// Reads `policies:`: named selections of the loaded rules. Which packs and rule ids exist is
/// only known once the rules are loaded (`ServerConfig.checkPolicies`); here the names are
/// only checked for their form.
enum PolicyParser {
    typealias Read = (policies: [String: PolicyConfig], sources: [String: PolicySource])

    private static let policiesExample = ServerConfigSchema.example(for: "policies", in: .top)

    /// The policies, `default` included; `nil` when `policies` is not a mapping.
    static func parse(_ node: YAMLNode, reader: inout FieldReader) -> Read? {
        var read: Read = ([:], [:])
        // `policies:` with every policy commented out means no named policies, like no key.
        if !node.isNull {
            guard let mapping = node.mapping else {
                reader.error(at: node.location, "`policies` must be a mapping from policy names to their settings",
                             fix: "write it like `\(policiesExample)`")
                return nil
            }
            for (name, value) in reader.fields(of: mapping).entries {
                let parsed = reader.reading(.policy) { policy(named: name, value, reader: &$0) }
                guard let parsed else { continue }
                read.policies[name.value] = parsed.config
                read.sources[name.value] = parsed.source
            }
        }
        // Requests that name no policy get `default`; when the file does not define it, it
        // is every loaded rule, as with no `policies` at all.
        if read.policies[ServerConfig.defaultPolicyName] == nil {
            read.policies[ServerConfig.defaultPolicyName] = PolicyConfig()
        }
        return read
    }

    private static func policy(
        named name: YAMLScalar, _ node: YAMLNode, reader: inout FieldReader
    ) -> (config: PolicyConfig, source: PolicySource)? {
        let errorsBefore = reader.errorCount
        _ = reader.checkIdentifier(name, noun: "policy name")
        guard let mapping = node.mapping else {
            let message = node.isNull ? "has no settings" : "must be a mapping"
            reader.error(at: node.location, "policy `\(name.value)` \(message)",
                         fix: "write `\(name.value): {}` for every loaded pack, "
                            + "or `\(name.value): {packs: [pii, secrets]}`")
            return nil
        }
        let fields = reader.fields(of: mapping)
        reader.rejectUnknownKeys(in: fields, allowed: ServerConfigSchema.Section.policy.keys, of: "a policy")
        var source = PolicySource(name: name.location)
        var config = PolicyConfig()
        if let packs = names(fields, "packs", noun: "pack name", reader: &reader) {
            config.packs = packs.map(\.value)
            source.packs = packs.map(\.location)
        }
        if let rules = names(fields, "rules", noun: "rule id", reader: &reader) {
            config.rules = rules.map(\.value)
            source.rules = rules.map(\.location)
        }
        config.mode = reader.choice(fields, "mode", noun: "policy mode", options: ModeOverride.named)
        config.scanToolArguments = reader.bool(fields, "scan_tool_arguments") ?? false
        return reader.errorCount == errorsBefore ? (config, source) : nil
    }

    /// A list of pack names or rule ids; one written twice is only a warning.
    private static func names(
        _ fields: Fields, _ key: String, noun: String, reader: inout FieldReader
    ) -> [YAMLScalar]? {
        guard let items = reader.strings(fields, key) else { return nil }
        var seen: Set<String> = []
        var unique: [YAMLScalar] = []
        for item in items where reader.checkIdentifier(item, noun: noun) {
            guard seen.insert(item.value).inserted else {
                reader.warning(at: item.location, "`\(item.value)` is listed twice", fix: "remove one of them")
                continue
            }
            unique.append(item)
        }
        return unique
    }
}
