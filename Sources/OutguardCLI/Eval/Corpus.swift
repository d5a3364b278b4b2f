import Foundation
import OutguardConfig

/// A labelled corpus read from JSONL files, one `{"text": …, "expect": [rule ids]}` a line,
/// with every line that is not one of those.
struct Corpus {
    private struct Entry: Decodable {
        var text: String
        var expect: [String]
    }

    private(set) var examples: [LabelledExample] = []
    private(set) var problems: [LineProblem] = []

    static let lineFix =
        #"write one object a line, like {"text": "…", "expect": ["pii.email"]}, "#
        + #"with "expect": [] for a text on which no rule may fire"#

    init(paths: [String]) {
        for path in paths {
            let read = JSONLines<Entry>(path: path, decoder: JSONDecoder(), severity: .error, fix: Self.lineFix)
            problems += read.problems
            examples += read.lines.map { line in
                LabelledExample(text: line.value.text, expected: Set(line.value.expect), file: path, line: line.number)
            }
        }
    }

    /// A warning for each expected rule id that no loaded rule has, at the first line that
    /// names it: a misspelt label would otherwise count as a clean text for the real rule.
    /// Ids of rules that are loaded but not evaluated (another pack, disabled) are fine.
    func unknownRules(known: Set<String>) -> [LineProblem] {
        var unknown: [String: (first: LabelledExample, lines: Int)] = [:]
        for example in examples {
            for id in example.expected where !known.contains(id) {
                unknown[id, default: (example, 0)].lines += 1
            }
        }
        return unknown.sorted { $0.key < $1.key }.map { id, found in
            let fix =
                Suggestion.closest(to: id, among: known.sorted()).map { "did you mean `\($0)`?" }
                ?? "correct the id, or add the rule file that declares it to --rules"
            let lineCount = found.lines == 1 ? "" : " (on \(found.lines) lines; this is the first)"
            return LineProblem(
                severity: .warning, file: found.first.file, line: found.first.line,
                message: "no loaded rule has id `\(id)`\(lineCount); the label is ignored", fix: fix)
        }
    }
}
