/// Something wrong with one line of a JSONL file (a corpus, a capture file):
/// `file:line: severity: message`, then what to write instead, in the shape `outguard lint`
/// prints. Lines have no columns worth naming: each is one JSON object.
struct LineProblem: Hashable, CustomStringConvertible {
    enum Severity: String { case error, warning }

    var severity: Severity
    var file: String
    var line: Int
    var message: String
    var fix: String?

    var description: String {
        "\(file):\(line): \(severity.rawValue): \(message)" + (fix.map { "\n    fix: \($0)" } ?? "")
    }
}
