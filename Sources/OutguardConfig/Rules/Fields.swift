/// The entries of one YAML mapping whose keys are names, looked up by name.
struct Fields {
    /// Where the mapping starts, for "this rule has no `id`".
    var location: SourceLocation
    var entries: [(key: YAMLScalar, value: YAMLNode)]

    subscript(_ name: String) -> YAMLNode? {
        entries.first { $0.key.value == name }?.value
    }

    func has(_ name: String) -> Bool { self[name] != nil }

    /// Where the key `name` was written.
    func key(_ name: String) -> YAMLScalar? {
        entries.first { $0.key.value == name }?.key
    }
}
