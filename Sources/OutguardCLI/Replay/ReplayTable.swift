/// The replay report as `outguard replay` prints it: a row of counts per changed rule, then
/// the request ids behind each count (the first ten; `--json` lists all).
enum ReplayTable {
    static let shownIDs = 10

    static func lines(_ report: ReplayReport, badLines: Int) -> [String] {
        let skipped = badLines == 0 ? "" : " (\(badLines) bad line\(badLines == 1 ? "" : "s") skipped)"
        let summary =
            "replayed \(report.responses) response\(report.responses == 1 ? "" : "s")\(skipped); \(report.changed) changed"
        guard !report.rules.isEmpty else { return ["no rule fires differently", summary] }
        var table = TextTable([
            .init(title: "rule", alignment: .left), .init(title: "newly fires", alignment: .right),
            .init(title: "stops firing", alignment: .right), .init(title: "changes action", alignment: .right),
            .init(title: "changes match", alignment: .right),
        ])
        for row in report.rules {
            table.append([
                row.rule, "\(row.newlyFires.count)", "\(row.stopsFiring.count)", "\(row.changesAction.count)",
                "\(row.changesMatch.count)",
            ])
        }
        var lines = table.lines
        for row in report.rules {
            lines += ["", row.rule]
            lines += ids("newly fires", row.newlyFires) + ids("stops firing", row.stopsFiring)
            // Grouped by what changed into what, in the order first seen.
            var transitions: [String] = []
            var byTransition: [String: [String]] = [:]
            for change in row.changesAction {
                let transition = "changes action (\(change.from) → \(change.to))"
                if byTransition[transition] == nil { transitions.append(transition) }
                byTransition[transition, default: []].append(change.requestID)
            }
            for transition in transitions { lines += ids(transition, byTransition[transition] ?? []) }
            lines += ids("changes match", row.changesMatch)
        }
        return lines + ["", summary]
    }

    private static func ids(_ label: String, _ ids: [String]) -> [String] {
        guard !ids.isEmpty else { return [] }
        let more = ids.count > shownIDs ? ", … (\(ids.count - shownIDs) more; --json lists all)" : ""
        return ["  \(label): " + ids.prefix(shownIDs).joined(separator: ", ") + more]
    }
}
