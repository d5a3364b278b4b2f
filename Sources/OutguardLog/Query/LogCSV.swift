/// Records as CSV: a header row with the log's keys, then one row a record, quoted as
/// RFC 4180 says (a field with a comma, quote or line break is put in quotes, its quotes
/// doubled). Lists are written space-separated: `span` as `120 142`, `rules` as
/// `pii.email pii.phone-jp`, `scores` as `harassment=0.93 hate=0.12`.
///
/// It lives beside the record because its `switch` over the record's keys is
/// exhaustive: a key added to the record gets its column or does not compile.
public enum LogCSV {
    public static let header = LogRecord.CodingKeys.allCases.map(\.stringValue).joined(separator: ",")

    public static func row(_ record: LogRecord) -> String {
        LogRecord.CodingKeys.allCases.map { quoted(field($0, of: record) ?? "") }.joined(separator: ",")
    }

    private static func field(_ key: LogRecord.CodingKeys, of record: LogRecord) -> String? {
        switch key {
        case .ts: LogTimestamp.string(from: record.ts)
        case .event: record.event.rawValue
        case .requestID: record.requestID
        case .policy: record.policy
        case .ruleset: record.ruleset
        case .pack: record.pack
        case .rule: record.rule
        case .action: record.action
        case .mode: record.mode
        case .severity: record.severity
        case .provider: record.provider
        case .model: record.model
        case .stream: record.stream.map { String($0) }
        case .choice: record.choice.map { String($0) }
        case .span: record.span.map { $0.map(String.init).joined(separator: " ") }
        case .match: record.match
        case .context: record.context
        case .detail: record.detail
        case .scores: record.scores.map { $0.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ") }
        case .rules: record.rules?.joined(separator: " ")
        case .findings: record.findings.map { String($0) }
        case .upstreamStatus: record.upstreamStatus.map { String($0) }
        case .latencyMs: record.latencyMs.map { String($0) }
        case .label: record.label?.rawValue
        case .note: record.note
        case .source: record.source
        case .oldRuleset: record.oldRuleset
        }
    }

    private static func quoted(_ field: String) -> String {
        guard field.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
