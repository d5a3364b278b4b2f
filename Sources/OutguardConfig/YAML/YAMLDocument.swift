/// One YAML file read into a tree that remembers where each node was written.
///
/// A file holds at most one document. Anchors and aliases work, but what aliases expand
/// to is bounded, so a "billion laughs" file is an error rather than a hang.
public struct YAMLDocument: Sendable {
    /// The document's top node; `nil` when the file holds no document or could not be read.
    public var root: YAMLNode?
    /// Syntax errors, duplicate keys, a second document, runaway aliases.
    public var diagnostics: [Diagnostic]

    /// How many nodes all aliases of one document may expand to together.
    public static let defaultAliasExpansionLimit = 100_000
    /// How deep collections may nest; the tree is freed recursively, so depth must stay small.
    public static let nestingLimit = 256

    public init(root: YAMLNode?, diagnostics: [Diagnostic]) {
        self.root = root
        self.diagnostics = diagnostics
    }

    /// Parses `bytes` (UTF-8) that were read from `file`; `file` only names the locations.
    public static func parse(
        _ bytes: [UInt8], file: String, aliasExpansionLimit: Int = defaultAliasExpansionLimit
    ) -> YAMLDocument {
        var builder = YAMLTreeBuilder(
            file: file, bytes: bytes, aliasExpansionLimit: aliasExpansionLimit, nestingLimit: nestingLimit)
        return builder.build(from: YAMLEventReader(bytes: bytes))
    }
}
