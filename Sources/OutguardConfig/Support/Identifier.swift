/// The names rule files give to rules, packs and hooks: `[a-z0-9._-]+`, so they read the
/// same in YAML, logs, metrics labels and URLs.
enum Identifier {
    static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy(isAllowed)
    }

    /// A valid name close to `name`, to offer as the fix.
    static func suggestion(for name: String) -> String {
        let mapped = String(String.UnicodeScalarView(name.lowercased().unicodeScalars.map { isAllowed($0) ? $0 : "-" }))
        let trimmed = mapped.split(separator: "-", omittingEmptySubsequences: true).joined(separator: "-")
        return trimmed.isEmpty ? "my-name" : trimmed
    }

    private static func isAllowed(_ character: Unicode.Scalar) -> Bool {
        switch character {
        case "a"..."z", "0"..."9", ".", "_", "-": true
        default: false
        }
    }
}
