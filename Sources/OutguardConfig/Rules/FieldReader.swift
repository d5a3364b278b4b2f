/// Reads typed values out of YAML nodes and collects what is wrong with them: each
/// mistake becomes a diagnostic at the value, with how to write it instead.
///
/// A value that cannot be read comes back `nil` after its diagnostic, so the caller
/// goes on and reports the next mistake rather than stopping at the first.
struct FieldReader {
    private(set) var diagnostics: [Diagnostic] = []
    private(set) var errorCount = 0
    /// How to write a key's value, for fix sentences: rule files and the daemon config
    /// share this reader but not their keys.
    let example: (String) -> String

    init(example: @escaping (String) -> String = RuleFileSchema.example(for:)) {
        self.example = example
    }

    mutating func error(at location: SourceLocation, _ message: String, fix: String) {
        diagnostics.append(Diagnostic(.error, at: location, message, fix: fix))
        errorCount += 1
    }

    mutating func warning(at location: SourceLocation, _ message: String, fix: String) {
        diagnostics.append(Diagnostic(.warning, at: location, message, fix: fix))
    }

    mutating func append(contentsOf other: [Diagnostic]) {
        diagnostics += other
        errorCount += other.count { $0.severity == .error }
    }

    /// The name-keyed entries of `mapping`; a key that is a list or a mapping is an error.
    mutating func fields(of mapping: YAMLMapping) -> Fields {
        var fields = Fields(location: mapping.location, entries: [])
        for entry in mapping.entries {
            guard let key = entry.key.scalar else {
                error(at: entry.key.location, "a key must be a name, not a list or a mapping",
                      fix: "write the key as a word followed by `:`, like `pattern:`")
                continue
            }
            fields.entries.append((key, entry.value))
        }
        return fields
    }

    /// Reports each key of `fields` that is not in `allowed`.
    mutating func rejectUnknownKeys(in fields: Fields, allowed: [String], of owner: String) {
        for (key, _) in fields.entries where !allowed.contains(key.value) {
            unknownKey(key, allowed: allowed, of: owner)
        }
    }

    mutating func unknownKey(_ key: YAMLScalar, allowed: [String], of owner: String) {
        let fix = Suggestion.closest(to: key.value, among: allowed).map { "did you mean `\($0)`?" }
            ?? "the keys of \(owner) are: \(allowed.joined(separator: ", "))"
        error(at: key.location, "unknown key `\(key.value)`", fix: fix)
    }

    /// Whether `name` is a valid rule, pack or hook name; if not, says so and offers one.
    mutating func checkIdentifier(_ name: YAMLScalar, noun: String) -> Bool {
        if Identifier.isValid(name.value) { return true }
        error(at: name.location, "`\(name.value)` is not a valid \(noun)",
              fix: "use lowercase letters, digits, `.`, `_` and `-`, like `\(Identifier.suggestion(for: name.value))`")
        return false
    }

    /// A text value, `nil` when absent or wrong.
    mutating func string(_ fields: Fields, _ key: String) -> YAMLScalar? {
        guard let node = fields[key] else { return nil }
        return text(node, of: key, subject: "`\(key)`")
    }

    /// A list of texts, `nil` when absent or wrong.
    mutating func strings(_ fields: Fields, _ key: String) -> [YAMLScalar]? {
        guard let node = fields[key] else { return nil }
        guard !node.isNull else {
            noValue(at: node.location, subject: "`\(key)`", key: key)
            return nil
        }
        guard let list = node.sequence else {
            error(at: node.location, "`\(key)` must be a list of strings", fix: "write it like `\(example(key))`")
            return nil
        }
        let items = list.items.map { text($0, of: key, subject: "an item of `\(key)`") }
        let strings = items.compactMap { $0 }
        return strings.count == items.count ? strings : nil
    }

    /// One of `options` by name.
    mutating func choice<Value>(_ fields: Fields, _ key: String, noun: String, options: [(name: String, value: Value)]) -> Value? {
        guard let scalar = string(fields, key) else { return nil }
        return choice(scalar, noun: noun, options: options)
    }

    /// A list of `options` by name; `nil` when absent or when any item is wrong.
    mutating func choices<Value>(_ fields: Fields, _ key: String, noun: String, options: [(name: String, value: Value)]) -> [Value]? {
        guard let items = strings(fields, key) else { return nil }
        let values = items.map { choice($0, noun: noun, options: options) }
        let valid = values.compactMap { $0 }
        return valid.count == values.count ? valid : nil
    }

    /// `true` or `false`, unquoted.
    mutating func bool(_ fields: Fields, _ key: String) -> Bool? {
        guard let node = fields[key] else { return nil }
        if let scalar = node.scalar, scalar.style == .plain {
            switch scalar.value {
            case "true", "True", "TRUE": return true
            case "false", "False", "FALSE": return false
            default: break
            }
        }
        error(at: node.location, "`\(key)` must be true or false", fix: "write it like `\(example(key))`")
        return nil
    }

    /// A number, unquoted.
    mutating func number(_ fields: Fields, _ key: String) -> Double? {
        guard let node = fields[key] else { return nil }
        if let scalar = node.scalar, scalar.style == .plain, let value = Double(scalar.value), value.isFinite {
            return value
        }
        error(at: node.location, "`\(key)` must be a number", fix: "write it like `\(example(key))`")
        return nil
    }

    /// A whole number, unquoted.
    mutating func integer(_ fields: Fields, _ key: String) -> Int? {
        guard let node = fields[key] else { return nil }
        if let scalar = node.scalar, scalar.style == .plain, let value = Int(scalar.value) {
            return value
        }
        error(at: node.location, "`\(key)` must be a whole number", fix: "write it like `\(example(key))`")
        return nil
    }

    private mutating func choice<Value>(_ scalar: YAMLScalar, noun: String, options: [(name: String, value: Value)]) -> Value? {
        if let option = options.first(where: { $0.name == scalar.value }) { return option.value }
        error(at: scalar.location, "unknown \(noun) `\(scalar.value)`",
              fix: Suggestion.fix(for: scalar.value, choices: options.map(\.name)))
        return nil
    }

    /// A scalar with a value; `subject` names it in messages (the key, or an item of it).
    private mutating func text(_ node: YAMLNode, of key: String, subject: String) -> YAMLScalar? {
        guard let scalar = node.scalar else {
            error(at: node.location, "\(subject) must be a string", fix: "write it like `\(example(key))`")
            return nil
        }
        guard !scalar.isNull else {
            noValue(at: scalar.location, subject: subject, key: key)
            return nil
        }
        return scalar
    }

    /// `key:` with nothing after it is usually a value left out, not a wish for "nothing".
    private mutating func noValue(at location: SourceLocation, subject: String, key: String) {
        error(at: location, "\(subject) has no value", fix: "write it like `\(example(key))`, or remove it")
    }
}

extension CaseIterable where Self: RawRepresentable, RawValue == String {
    /// The cases as `FieldReader.choice` takes them.
    static var named: [(name: String, value: Self)] { allCases.map { ($0.rawValue, $0) } }
}
