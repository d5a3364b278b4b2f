/// Reading the daemon config with the rule files' `FieldReader`: its sections have their own
/// examples, and its values share their parsers with the environment and flags.
extension FieldReader {
    /// A reader whose fix sentences show `section`'s examples.
    init(section: ServerConfigSchema.Section) {
        self.init(example: { ServerConfigSchema.example(for: $0, in: section) })
    }

    /// Runs `body` with a reader for `section`, keeping every diagnostic it finds.
    mutating func reading<Output>(
        _ section: ServerConfigSchema.Section, _ body: (inout FieldReader) -> Output
    ) -> Output {
        var inner = FieldReader(section: section)
        let result = body(&inner)
        append(contentsOf: inner.diagnostics)
        return result
    }

    /// The text of `key` read by `parse`, the same parser the environment and flags use;
    /// `expected` says what a list or mapping there should have been instead.
    mutating func value<Value>(
        _ fields: Fields, _ key: String, expected: String, parse: (String) -> Result<Value, ValueProblem>
    ) -> Value? {
        guard let node = fields[key] else { return nil }
        guard let scalar = node.scalar, !scalar.isNull else {
            if node.isNull {
                error(at: node.location, "`\(key)` has no value", fix: "write it like `\(example(key))`, or remove it")
            } else {
                error(at: node.location, "`\(key)` must be \(expected)", fix: "write it like `\(example(key))`")
            }
            return nil
        }
        switch parse(scalar.value) {
        case .success(let value):
            return value
        case .failure(let problem):
            append(contentsOf: [problem.diagnostic(at: .file(key: key, at: scalar.location))])
            return nil
        }
    }

    /// The mapping under `key` of `fields`, its unknown keys reported; `nil` when absent or
    /// not a mapping. `example` shows the whole mapping written out.
    mutating func mapping(_ fields: Fields, _ key: String, keys: [String], owner: String, example: String) -> Fields? {
        guard let node = fields[key] else { return nil }
        if node.isNull {
            error(at: node.location, "`\(key)` has no value", fix: "write it like `\(example)`, or remove it")
            return nil
        }
        guard let mapping = node.mapping else {
            error(at: node.location, "`\(key)` must be a mapping", fix: "write it like `\(example)`")
            return nil
        }
        let inner = self.fields(of: mapping)
        rejectUnknownKeys(in: inner, allowed: keys, of: owner)
        return inner
    }
}
