import Foundation

/// Reads a JSONL file (one JSON value a line) and decodes each line, saying for a line that
/// does not decode where it is and what is wrong with it, so one bad line never hides the rest.
struct JSONLines<Value: Decodable> {
    /// One decoded line.
    struct Line {
        var value: Value
        var number: Int
    }

    private(set) var lines: [Line] = []
    private(set) var problems: [LineProblem] = []

    /// Decodes every non-blank line of `path`; a line that does not decode becomes a
    /// `LineProblem` of `severity` with `fix`. A file that cannot be read is one problem at line 1.
    init(path: String, decoder: JSONDecoder, severity: LineProblem.Severity, fix: String) {
        guard let data = FileManager.default.contents(atPath: path) else {
            problems.append(
                LineProblem(
                    severity: .error, file: path, line: 1, message: "cannot read the file",
                    fix: "check the path (a relative path starts from the current folder) and that outguard may read it"
                ))
            return
        }
        var number = 0
        for bytes in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            number += 1
            guard bytes.contains(where: { !Self.isBlank($0) }) else { continue }
            do {
                lines.append(Line(value: try decoder.decode(Value.self, from: Data(bytes)), number: number))
            } catch {
                problems.append(
                    LineProblem(
                        severity: severity, file: path, line: number, message: Self.describe(error), fix: fix))
            }
        }
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }

    /// Says which key is missing or wrong: the decoder's own messages name Swift types.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "cannot decode the line" }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "no `\(parent.isEmpty ? "" : parent + ".")\(key.stringValue)`"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "`\(path(context))` has the wrong type"
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return "not JSON, or not one JSON object on one line"
        case .dataCorrupted(let context):
            return "`\(path(context))`: \(context.debugDescription)"
        @unknown default:
            return "cannot decode the line"
        }
    }

    /// `segments[2].text`, the way a user would point at the value.
    private static func path(_ context: DecodingError.Context) -> String {
        context.codingPath.reduce(into: "") { path, key in
            if let index = key.intValue {
                path += "[\(index)]"
            } else {
                path += (path.isEmpty ? "" : ".") + key.stringValue
            }
        }
    }
}
