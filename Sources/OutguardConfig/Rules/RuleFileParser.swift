/// Reads one rule file: its pack, rules and hooks, and every mistake in it.
enum RuleFileParser {
    /// A rule file, and what the checks across files need from it.
    struct Output {
        var file: RuleFile
        var diagnostics: [Diagnostic]
        /// Every rule id written, also of rules with mistakes.
        var ruleIDs: [YAMLScalar]
        /// Every hook name declared, also of hooks with mistakes.
        var hookNames: [YAMLScalar]
        /// The `hook:` of every classifier rule.
        var hookReferences: [YAMLScalar]
        /// The `hook:` of every classifier rule with its `categories:`.
        var classifierUses: [(hook: YAMLScalar, categories: [YAMLScalar])] = []
    }

    private static let rulesExample = "rules: [{id: my.rule, type: regex, pattern: 'secret'}]"

    static func parse(_ bytes: [UInt8], path: String, termsFiles: inout TermsFileReader) -> Output {
        let document = YAMLDocument.parse(bytes, file: path)
        var reader = FieldReader()
        reader.append(contentsOf: document.diagnostics)
        var output = Output(
            file: RuleFile(path: path, pack: packName(fromPath: path), description: nil, rules: [], hooks: []),
            diagnostics: [], ruleIDs: [], hookNames: [], hookReferences: [])
        let start = SourceLocation(file: path, line: 1, column: 1)

        if let root = document.root, !root.isNull {
            read(root, into: &output, reader: &reader, termsFiles: &termsFiles)
        } else if document.diagnostics.isEmpty {
            reader.error(at: start, "the file is empty", fix: "list rules under `rules:`, like `\(rulesExample)`")
        }
        // Reading goes key by key; the author reads top to bottom.
        output.diagnostics = reader.diagnostics.enumerated()
            .sorted { ($0.element.location, $0.offset) < ($1.element.location, $1.offset) }
            .map(\.element)
        return output
    }

    private static func read(
        _ root: YAMLNode, into output: inout Output, reader: inout FieldReader, termsFiles: inout TermsFileReader
    ) {
        guard let mapping = root.mapping else {
            reader.error(at: root.location, "a rule file must be a mapping with `rules:`",
                         fix: root.sequence == nil
                            ? "start the file with `rules:` and list the rules below it"
                            : "put this list under a `rules:` line, indented")
            return
        }
        let fields = reader.fields(of: mapping)
        reader.rejectUnknownKeys(in: fields, allowed: RuleFileSchema.orderedTopLevelKeys, of: "a rule file")
        output.file.pack = pack(fields, default: output.file.pack, reader: &reader)
        output.file.description = reader.string(fields, "description")?.value

        if let rules = fields["rules"], !rules.isNull {
            readRules(rules, into: &output, reader: &reader, termsFiles: &termsFiles)
        }
        if let hooks = fields["hooks"] {
            let declared = HookParser.parse(hooks, reader: &reader)
            output.hookNames = declared.map(\.name)
            output.file.hooks = declared.compactMap(\.hook)
        }
        if !fields.has("rules") && !fields.has("hooks") {
            reader.warning(at: mapping.location, "the file has no `rules:` and no `hooks:`",
                           fix: "list rules under `rules:`, like `\(rulesExample)`")
        }
    }

    private static func readRules(
        _ node: YAMLNode, into output: inout Output, reader: inout FieldReader, termsFiles: inout TermsFileReader
    ) {
        guard let list = node.sequence else {
            reader.error(at: node.location, "`rules` must be a list of rules",
                         fix: "start each rule with `- id:` on its own line below `rules:`")
            return
        }
        let parser = RuleParser(pack: output.file.pack, file: output.file.path)
        for item in list.items {
            let parsed = parser.parse(item, reader: &reader, termsFiles: &termsFiles)
            output.file.rules += parsed.rule.map { [$0] } ?? []
            output.file.rejectedRules += parsed.rejected.map { [$0] } ?? []
            output.ruleIDs += parsed.id.map { [$0] } ?? []
            output.hookReferences += parsed.hook.map { [$0] } ?? []
            output.classifierUses += parsed.hook.map { [($0, parsed.categories)] } ?? []
        }
    }

    /// `pack:`, or the file name when the file does not say.
    private static func pack(_ fields: Fields, default fileName: String, reader: inout FieldReader) -> String {
        if let pack = reader.string(fields, "pack") {
            _ = reader.checkIdentifier(pack, noun: "pack name")
            return pack.value
        }
        if !fields.has("pack") && !Identifier.isValid(fileName) {
            reader.error(at: fields.location, "the file name `\(fileName)` is not a valid pack name",
                         fix: "add `pack: \(Identifier.suggestion(for: fileName))`, or rename the file")
        }
        return fileName
    }

    /// The file name without its extension.
    static func packName(fromPath path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }
}
