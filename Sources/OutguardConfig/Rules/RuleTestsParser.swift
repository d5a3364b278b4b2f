/// Reads a rule's `tests:` — the examples it must and must not fire on.
enum RuleTestsParser {
    private static let rewriteExample = #"rewrite: [{input: "mail a@b.io now", output: "mail [EMAIL] now"}]"#

    static func parse(_ node: YAMLNode, reader: inout FieldReader) -> RuleTests {
        guard let mapping = node.mapping else {
            reader.error(at: node.location, "`tests` must be a mapping with `match`, `no_match` and `rewrite`",
                         fix: #"write it like `tests: {match: ["a@b.io"], no_match: ["at the office"]}`"#)
            return RuleTests()
        }
        let fields = reader.fields(of: mapping)
        reader.rejectUnknownKeys(in: fields, allowed: RuleFileSchema.orderedTestsKeys, of: "`tests`")
        let texts = { (key: String, reader: inout FieldReader) in
            (reader.strings(fields, key) ?? []).map { RuleTests.TestText(text: $0.value, location: $0.location) }
        }
        return RuleTests(
            match: texts("match", &reader), noMatch: texts("no_match", &reader),
            rewrite: fields["rewrite"].map { rewriteCases($0, reader: &reader) } ?? [])
    }

    private static func rewriteCases(_ node: YAMLNode, reader: inout FieldReader) -> [RuleTests.RewriteCase] {
        guard let list = node.sequence else {
            reader.error(at: node.location, "`rewrite` must be a list of cases with `input` and `output`",
                         fix: "write it like `\(rewriteExample)`")
            return []
        }
        return list.items.compactMap { item in
            guard let mapping = item.mapping else {
                reader.error(at: item.location, "a rewrite case must be a mapping with `input` and `output`",
                             fix: "write it like `\(rewriteExample)`")
                return nil
            }
            let fields = reader.fields(of: mapping)
            reader.rejectUnknownKeys(in: fields, allowed: RuleFileSchema.orderedRewriteKeys, of: "a rewrite case")
            for key in RuleFileSchema.orderedRewriteKeys where !fields.has(key) {
                reader.error(at: mapping.location, "this rewrite case has no `\(key)`",
                             fix: "write it like `\(rewriteExample)`")
            }
            guard let input = reader.string(fields, "input"), let output = reader.string(fields, "output") else {
                return nil
            }
            return RuleTests.RewriteCase(input: input.value, output: output.value, location: mapping.location)
        }
    }
}
