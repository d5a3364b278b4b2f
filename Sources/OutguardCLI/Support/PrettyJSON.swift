import Foundation

/// JSON as the commands print it with `--json`: indented, keys sorted so that output diffs
/// and greps well, slashes left alone (paths and URLs stay readable).
enum PrettyJSON {
    static func string(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
