/// The replay report as `outguard replay --json` prints it: every request id, for scripts.
struct ReplayJSON: Encodable {
    var responses: Int
    var changed: Int
    /// Capture lines that could not be read and were skipped.
    var badLines: Int
    var rules: [ReplayReport.RuleChanges]

    enum CodingKeys: String, CodingKey {
        case responses, changed
        case badLines = "bad_lines"
        case rules
    }

    static func encode(_ report: ReplayReport, badLines: Int) throws -> String {
        let value = ReplayJSON(
            responses: report.responses, changed: report.changed, badLines: badLines, rules: report.rules)
        return try PrettyJSON.string(value)
    }
}
