import OutguardLog

/// One record as one line for a person reading `tail` and `show`: time, event, request,
/// then what matters for that event. Text from the log (context, notes) is shown with
/// control characters escaped, so a record stays on one line and model output cannot
/// drive the terminal.
enum RecordLine {
    static func format(_ record: LogRecord) -> String {
        var parts = [
            LogTimestamp.string(from: record.ts),
            record.event.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0),
        ]
        if let id = record.requestID { parts.append(id) }
        switch record.event {
        case .violation:
            parts += [record.rule, record.action, record.mode, record.severity].compactMap { $0 }
            if let match = record.match { parts.append(quoted(match)) }
            if let context = record.context { parts.append(quoted(context)) }
        case .engineError:
            parts += [record.rule, record.detail.map(quoted)].compactMap { $0 }
        case .request:
            parts += [record.action, record.rules.map { "rules=" + $0.joined(separator: ",") }].compactMap { $0 }
            if let findings = record.findings { parts.append("findings=\(findings)") }
            if let status = record.upstreamStatus { parts.append("status=\(status)") }
            if let latency = record.latencyMs { parts.append("\(latency) ms") }
        case .feedback:
            parts += [record.rule, record.label?.rawValue, record.note.map(quoted), record.source.map { "(\($0))" }]
                .compactMap { $0 }
        case .reload:
            parts.append("\(record.oldRuleset ?? "(none)") → \(record.ruleset ?? "(none)")")
        }
        return parts.joined(separator: "  ")
    }

    private static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value):
                result += "\\u{\(String(scalar.value, radix: 16))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
