/// The checks that need every file of a rule set: rule ids and hook names are shared by
/// all packs, and a classifier rule may use a hook declared in another file.
enum RuleSetChecks {
    static func check(_ files: [RuleFileParser.Output]) -> [Diagnostic] {
        var diagnostics = duplicates(
            files.flatMap(\.ruleIDs), noun: "rule id",
            fix: "rule ids are unique across all packs; rename one of them")
        let hookNames = files.flatMap(\.hookNames)
        diagnostics += duplicates(
            hookNames, noun: "hook", fix: "hook names are shared by all rule files; rename or remove one of them")
        diagnostics += undefinedHooks(files.flatMap(\.hookReferences), defined: hookNames.map(\.value))
        diagnostics += unknownModerationCategories(files.flatMap(\.classifierUses), hooks: files.flatMap(\.file.hooks))
        return diagnostics
    }

    /// An error at every repeat of a name, with a note at its first use.
    private static func duplicates(_ names: [YAMLScalar], noun: String, fix: String) -> [Diagnostic] {
        var first: [String: SourceLocation] = [:]
        var diagnostics: [Diagnostic] = []
        for name in names {
            guard let earlier = first[name.value] else {
                first[name.value] = name.location
                continue
            }
            diagnostics.append(Diagnostic(.error, at: name.location, "duplicate \(noun) `\(name.value)`", fix: fix))
            diagnostics.append(Diagnostic(.note, at: earlier, "`\(name.value)` is first defined here"))
        }
        return diagnostics
    }

    private static func undefinedHooks(_ references: [YAMLScalar], defined: [String]) -> [Diagnostic] {
        references.filter { !defined.contains($0.value) }.map { reference in
            let fix = Suggestion.closest(to: reference.value, among: defined).map { "did you mean `\($0)`?" }
                ?? (defined.isEmpty
                    ? "declare it under `hooks:` in any rule file, like `\(HookParser.example(named: reference.value))`"
                    : "use one of the declared hooks: \(defined.joined(separator: ", "))")
            return Diagnostic(.error, at: reference.location, "no hook named `\(reference.value)`", fix: fix)
        }
    }

    /// A category OpenAI's moderation API does not score is a typo more often than not; a
    /// compatible server may score more (the reference service adds `profanity`), so this
    /// is a warning, and the hook's answer decides at run time.
    private static func unknownModerationCategories(
        _ uses: [(hook: YAMLScalar, categories: [YAMLScalar])], hooks: [HookDefinition]
    ) -> [Diagnostic] {
        let moderationHooks = Set(hooks.filter { $0.protocol == .openaiModeration }.map(\.name))
        let known = HookProtocol.openAIModerationCategories
        return uses.filter { moderationHooks.contains($0.hook.value) }.flatMap { use in
            use.categories.filter { !known.contains($0.value) }.map { category in
                let fix = Suggestion.closest(to: category.value, among: known).map {
                    "did you mean `\($0)`? (a compatible server that scores `\(category.value)` itself can ignore this)"
                } ?? "OpenAI's categories are: \(known.joined(separator: ", ")); a compatible server that scores `\(category.value)` itself can ignore this"
                return Diagnostic(
                    .warning, at: category.location,
                    "`\(category.value)` is not a category of OpenAI's moderation API (hook `\(use.hook.value)` speaks `openai-moderation`)",
                    fix: fix)
            }
        }
    }
}
