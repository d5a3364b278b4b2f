import OutguardEngine

/// Reads one rule of a rule file into a `LoadedRule`, reporting every mistake in it.
struct RuleParser {
    /// What a rule gave, even when it has mistakes: the checks across files still need
    /// its id and the hook it names.
    struct Output {
        var rule: LoadedRule?
        /// A rule with errors of its own whose pattern or terms can still be compiled, so
        /// that their problems are reported in the same run.
        var rejected: LoadedRule?
        var id: YAMLScalar?
        var hook: YAMLScalar?
        /// A classifier's categories, as written.
        var categories: [YAMLScalar] = []
    }

    let pack: String
    let file: String

    func parse(_ node: YAMLNode, reader: inout FieldReader, termsFiles: inout TermsFileReader) -> Output {
        guard let mapping = node.mapping else {
            reader.error(at: node.location, "a rule must be a mapping of keys like `id:` and `type:`",
                         fix: "start the rule with `- id: …` and put its other keys below `id`, lined up with it")
            return Output()
        }
        let errorsBefore = reader.errorCount
        let fields = reader.fields(of: mapping)
        let id = ruleID(fields, reader: &reader)
        let name = id.map { "rule `\($0.value)`" } ?? "this rule"
        let type: RuleType? = reader.choice(fields, "type", noun: "rule type", options: RuleType.named)
        if !fields.has("type") {
            reader.error(at: fields.location, "\(name) has no `type`",
                         fix: "add `type: regex`, `type: lexicon` or `type: classifier`")
        }
        checkKeys(fields, type: type, reader: &reader)

        let writtenAction = reader.choice(fields, "action", noun: "action", options: RuleAction.named)
        let action = writtenAction ?? .redact
        var places = LoadedRule.Places()
        places.fields[.id] = id?.location
        let matching = type.map {
            // An action written wrong is not guessed at: its own error is enough.
            MatcherParser(ruleName: name, file: file, action: fields.has("action") ? writtenAction : .redact)
                .parse($0, fields, reader: &reader, termsFiles: &termsFiles, places: &places)
        }
        let replacement = reader.string(fields, "replacement")
        let message = reader.string(fields, "message")
        warnAboutUnusedTexts(fields, action: action, reader: &reader)
        let severity = reader.choice(fields, "severity", noun: "severity", options: Severity.named) ?? .medium
        let mode = reader.choice(fields, "mode", noun: "mode", options: RuleMode.named) ?? .enforce
        let description = reader.string(fields, "description")
        let tags = reader.strings(fields, "tags") ?? []
        let enabled = reader.bool(fields, "enabled") ?? true
        let tests = fields["tests"].map { RuleTestsParser.parse($0, reader: &reader) } ?? RuleTests()

        guard let matching, let matcher = matching.matcher else { return Output(id: id, hook: matching?.hook, categories: matching?.categories ?? []) }
        let definition = RuleDefinition(
            id: id?.value ?? "", pack: pack, description: description?.value, matcher: matcher,
            normalization: matching.normalization, validator: matching.validator, action: action,
            replacement: replacement?.value ?? RuleDefinition.defaultReplacement, message: message?.value,
            severity: severity, mode: mode, tags: tags.map(\.value))
        let rule = LoadedRule(
            definition: definition, enabled: enabled, tests: tests, location: id?.location ?? fields.location,
            places: places)
        guard reader.errorCount == errorsBefore, id != nil else { return Output(rejected: rule, id: id, hook: matching.hook, categories: matching.categories) }
        return Output(rule: rule, id: id, hook: matching.hook, categories: matching.categories)
    }

    private func ruleID(_ fields: Fields, reader: inout FieldReader) -> YAMLScalar? {
        guard fields.has("id") else {
            reader.error(at: fields.location, "this rule has no `id`",
                         fix: "add `id:` with a name unique across all packs, like `\(pack).my-rule`")
            return nil
        }
        guard let id = reader.string(fields, "id"), reader.checkIdentifier(id, noun: "rule id") else { return nil }
        return id
    }

    /// Unknown keys, and keys of another rule type (`pattern` on a lexicon).
    private func checkKeys(_ fields: Fields, type: RuleType?, reader: inout FieldReader) {
        let allowed = type.map(RuleFileSchema.orderedKeys(for:)) ?? RuleFileSchema.orderedRuleKeys
        for (key, _) in fields.entries where !allowed.contains(key.value) {
            let owners = RuleFileSchema.types(using: key.value).map(\.rawValue)
            guard let type, let owner = owners.first else {
                reader.unknownKey(key, allowed: allowed, of: type.map { "a \($0.rawValue) rule" } ?? "a rule")
                continue
            }
            let users = owners.joined(separator: " and ")
            reader.error(at: key.location, "`\(key.value)` is not used by \(type.rawValue) rules; it belongs to \(users) rules",
                         fix: "remove it, or make this rule `type: \(owner)`")
        }
    }

    /// `replacement` only matters when redacting, `message` only when blocking.
    private func warnAboutUnusedTexts(_ fields: Fields, action: RuleAction, reader: inout FieldReader) {
        for (key, usedBy) in [("replacement", RuleAction.redact), ("message", .block)] {
            guard action != usedBy, let written = fields.key(key) else { continue }
            reader.warning(at: written.location, "`\(key)` has no effect: this rule's action is `\(action.rawValue)`",
                           fix: "remove it, or set `action: \(usedBy.rawValue)`")
        }
    }
}
