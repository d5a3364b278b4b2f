import Foundation
import Testing

/// `outguard logs …` on a small hand-written log, run as a user runs it.
@Suite struct LogsCommandTests {
    /// og-1 hits pii.email twice, og-2 pii.email and brand.competitors (shadow); og-1 is
    /// labelled correct, og-2 (no rule: both rules) false positive.
    static let log = [
        #"{"ts":"2026-11-29T07:00:00.100Z","event":"violation","request_id":"og-1","pack":"pii","rule":"pii.email","action":"redact","mode":"enforce","severity":"medium","model":"gpt-4o-mini","match":"t***@e******.jp","context":"連絡先は [EMAIL] です"}"#,
        #"{"ts":"2026-11-29T07:00:00.200Z","event":"violation","request_id":"og-1","pack":"pii","rule":"pii.email","action":"redact","mode":"enforce","model":"gpt-4o-mini","context":"he said \"write\", then\nleft \u001b[31m"}"#,
        #"{"ts":"2026-11-29T07:00:00.300Z","event":"request","request_id":"og-1","action":"redact","rules":["pii.email"],"findings":2,"upstream_status":200,"latency_ms":12.5}"#,
        #"{"ts":"2026-11-30T08:00:00.000Z","event":"violation","request_id":"og-2","pack":"pii","rule":"pii.email","action":"redact","mode":"enforce","model":"gpt-4o"}"#,
        #"{"ts":"2026-11-30T08:00:00.001Z","event":"violation","request_id":"og-2","pack":"brand","rule":"brand.competitors","action":"block","mode":"shadow","model":"gpt-4o","future_key":{"a":1}}"#,
        #"{"ts":"2026-11-30T10:00:00.000Z","event":"feedback","request_id":"og-1","rule":"pii.email","label":"correct","source":"review"}"#,
        #"{"ts":"2026-11-30T10:00:01.000Z","event":"feedback","request_id":"og-2","label":"false_positive","note":"our address","source":"api"}"#,
    ]

    static func logFolder(_ extra: [String: String] = [:]) throws -> URL {
        try CLI.folder(["logs/v.jsonl": log.joined(separator: "\n") + "\n"].merging(extra) { $1 })
    }

    @Test func summaryTable() throws {
        let folder = try Self.logFolder()
        let result = try CLI.run(["logs", "summary", folder.path + "/logs/v.jsonl"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout == """
                rule               hits  enforced  shadow  requests  false_positive  false_negative  correct  precision
                pii.email             3         3       0         2               1               0        1       0.50
                brand.competitors     1         0       1         1               1               0        0       0.00
                total                 4         3       1         2               2               0        1       0.33

                """)
        #expect(result.stderr.isEmpty)
    }

    @Test func summaryJSONByDayWithFilters() throws {
        let folder = try Self.logFolder()
        let result = try CLI.run([
            "logs", "summary", folder.path + "/logs/v.jsonl", "--by", "day", "--since", "2026-11-30", "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["by"] as? String == "day")
        // og-1's label, given on the 30th, counts on the 29th, the day of og-1's hits.
        let rows = try #require(json["rows"] as? [[String: Any]])
        #expect(rows.map { $0["day"] as? String } == ["2026-11-29", "2026-11-30"])
        #expect(rows.map { $0["hits"] as? Int } == [0, 2])
        #expect(rows.map { $0["false_positive"] as? Int } == [0, 1])
        #expect(rows.map { $0["correct"] as? Int } == [1, 0])
        let shadow = try CLI.run(["logs", "summary", folder.path + "/logs/v.jsonl", "--mode", "shadow", "--by", "pack"])
        #expect(
            shadow.stdout.split(separator: "\n").map { $0.split(separator: " ").first ?? "" } == [
                "pack", "brand", "total",
            ])
    }

    /// Without files, the config's log.path is read, rotated files first.
    @Test func theConfiguredLogAndItsRotatedFiles() throws {
        let older =
            #"{"ts":"2026-11-28T07:00:00.000Z","event":"violation","request_id":"og-0","pack":"pii","rule":"pii.email","mode":"enforce"}"#
        let folder = try Self.logFolder([
            "logs/v.jsonl.1": older + "\n", "outguard.yaml": "log: {path: logs/v.jsonl}\n",
        ])
        let result = try CLI.run([
            "logs", "tail", "-n", "2", "--rule", "pii.email", "--event", "violation", "--config",
            folder.path + "/outguard.yaml",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").count == 2)
        let all = try CLI.run([
            "logs", "tail", "-n", "100", "--event", "violation", "--config", folder.path + "/outguard.yaml",
        ])
        #expect(
            all.stdout.split(separator: "\n").map { $0.prefix(10) } == [
                "2026-11-28", "2026-11-29", "2026-11-29", "2026-11-30", "2026-11-30",
            ])
    }

    @Test func tailFormatsOneRecordALine() throws {
        let folder = try Self.logFolder()
        let result = try CLI.run(["logs", "tail", "-n", "3", folder.path + "/logs/v.jsonl"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout == """
                2026-11-30T08:00:00.001Z  violation     og-2  brand.competitors  block  shadow
                2026-11-30T10:00:00.000Z  feedback      og-1  pii.email  correct  (review)
                2026-11-30T10:00:01.000Z  feedback      og-2  false_positive  "our address"  (api)

                """)
        // Control characters of logged text are escaped: one line a record, no terminal codes.
        let escaped = try CLI.run(["logs", "show", "og-1", folder.path + "/logs/v.jsonl"])
        #expect(escaped.stdout.contains(#""he said \"write\", then\nleft \u{1b}[31m""#), "\(escaped.stdout)")
    }

    @Test func showPrintsOneRequestInOrder() throws {
        let folder = try Self.logFolder()
        let result = try CLI.run(["logs", "show", "og-2", folder.path + "/logs/v.jsonl"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout == """
                2026-11-30T08:00:00.000Z  violation     og-2  pii.email  redact  enforce
                2026-11-30T08:00:00.001Z  violation     og-2  brand.competitors  block  shadow
                2026-11-30T10:00:01.000Z  feedback      og-2  false_positive  "our address"  (api)

                """)
        let missing = try CLI.run(["logs", "show", "og-404", folder.path + "/logs/v.jsonl"])
        #expect(missing.status == 1)
        #expect(
            missing.stderr.contains("no record of request og-404 in \(folder.path)/logs/v.jsonl"), "\(missing.stderr)")
    }

    @Test func exportCSVQuotesAndJSONLKeepsLines() throws {
        let folder = try Self.logFolder()
        let csv = try CLI.run([
            "logs", "export", "--format", "csv", "--rule", "pii.email", "--event", "violation",
            folder.path + "/logs/v.jsonl",
        ])
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stdout.hasPrefix("ts,event,request_id,policy,"))
        #expect(csv.stdout.contains(",\"he said \"\"write\"\", then\nleft \u{1b}[31m\","))
        #expect(csv.stdout.components(separatedBy: "\n2026-").count == 4)
        let jsonl = try CLI.run(["logs", "export", folder.path + "/logs/v.jsonl", "--pack", "brand"])
        #expect(jsonl.stdout == Self.log[4] + "\n")
    }

    @Test func badLinesAreReportedOnceWithTheirPlace() throws {
        let folder = try CLI.folder(["v.jsonl": Self.log[0] + "\n{oops\n" + Self.log[3] + "\n"])
        let result = try CLI.run(["logs", "summary", folder.path + "/v.jsonl"])
        #expect(result.status == 0)
        #expect(result.stdout.split(separator: "\n")[1].split(separator: " ").prefix(2) == ["pii.email", "2"])
        #expect(
            result.stderr
                == "outguard: skipped 1 line that is not a log record:\n  \(folder.path)/v.jsonl:2: expected '\"' at column 2\n"
        )
    }

    @Test func clearErrors() throws {
        let folder = try Self.logFolder(["no-log.yaml": "listen: 127.0.0.1:8080\n"])
        let missing = try CLI.run(["logs", "summary", folder.path + "/nope.jsonl"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no such file: \(folder.path)/nope.jsonl"), "\(missing.stderr)")
        let unmatched = try CLI.run(["logs", "summary", folder.path + "/*.gz"])
        #expect(unmatched.stderr.contains("no file matches \(folder.path)/*.gz"), "\(unmatched.stderr)")
        let unconfigured = try CLI.run(["logs", "tail", "--config", folder.path + "/no-log.yaml"])
        #expect(unconfigured.status != 0)
        #expect(
            unconfigured.stderr.contains(
                "no log to read: name log files, or set log.path in \(folder.path)/no-log.yaml"),
            "\(unconfigured.stderr)")
        let since = try CLI.run(["logs", "summary", "--since", "yesterday", folder.path + "/logs/v.jsonl"])
        #expect(since.status != 0)
        #expect(since.stderr.contains("--since yesterday: write a duration like 30m, 24h or 7d"), "\(since.stderr)")
        let by = try CLI.run(["logs", "summary", "--by", "severity", folder.path + "/logs/v.jsonl"])
        #expect(by.stderr.contains("--by severity: write rule, pack, model or day"), "\(by.stderr)")
    }

    @Test func labelAppendsAFeedbackRecordTheSummaryCounts() throws {
        let folder = try Self.logFolder()
        let log = folder.path + "/logs/v.jsonl"
        let labelled = try CLI.run([
            "logs", "label", "og-2", "--rule", "brand.competitors", "--as", "correct", "--note", "a rival", log,
        ])
        #expect(labelled.status == 0, "\(labelled.stderr)")
        #expect(labelled.stdout == "labelled og-2 brand.competitors as correct in \(log)\n")
        let last = try #require(try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").last)
        let record = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
        #expect(record["event"] as? String == "feedback")
        #expect(record["request_id"] as? String == "og-2")
        #expect(record["rule"] as? String == "brand.competitors")
        #expect(record["label"] as? String == "correct")
        #expect(record["note"] as? String == "a rival")
        #expect(record["source"] as? String == "cli")
        let summary = try CLI.run(["logs", "summary", log, "--json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(summary.stdout.utf8)) as? [String: Any])
        let rows = try #require(json["rows"] as? [[String: Any]])
        #expect(rows.first { $0["rule"] as? String == "brand.competitors" }?["correct"] as? Int == 1)
    }

    @Test func labelRefusesWhatTheLogCannotBack() throws {
        let folder = try Self.logFolder(["other/w.jsonl": Self.log[0] + "\n"])
        let log = folder.path + "/logs/v.jsonl"
        let unknown = try CLI.run(["logs", "label", "og-404", "--as", "correct", log])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no record of request og-404"))
        let notFired = try CLI.run(["logs", "label", "og-1", "--rule", "pii.phone-jp", "--as", "false_positive", log])
        #expect(notFired.stderr.contains("has no finding of pii.phone-jp (its findings: pii.email)"))
        let missed = try CLI.run(["logs", "label", "og-1", "--rule", "pii.phone-jp", "--as", "false_negative", log])
        #expect(missed.status == 0, "\(missed.stderr)")
        let badLabel = try CLI.run(["logs", "label", "og-1", "--as", "wrong", log])
        #expect(badLabel.stderr.contains("write false_positive, false_negative or correct"))
        let two = try CLI.run(["logs", "label", "og-1", "--as", "correct", log, folder.path + "/other/w.jsonl"])
        #expect(two.stderr.contains("say which one gets the label with --to FILE"))
    }
}

/// `tail -f` as a user runs it: the last records first, then each new one, until stopped.
@Test func tailFollowPrintsNewRecordsAsTheyAreWritten() throws {
    let folder = try LogsCommandTests.logFolder()
    let path = folder.path + "/logs/v.jsonl"
    let process = Process()
    process.executableURL = CLI.binary
    process.arguments = ["logs", "tail", "-f", "-n", "1", "--event", "violation", path]
    let output = Pipe()
    process.standardOutput = output
    let received = Received()
    output.fileHandleForReading.readabilityHandler = { received.append($0.availableData) }
    try process.run()
    defer {
        process.terminate()
        output.fileHandleForReading.readabilityHandler = nil
    }

    #expect(received.waitForLines(1).first?.contains("og-2  brand.competitors") == true)
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try handle.seekToEnd()
    try handle.write(contentsOf: Data((LogsCommandTests.log[5] + "\n" + LogsCommandTests.log[0] + "\n").utf8))
    try handle.close()
    let lines = received.waitForLines(2)
    #expect(lines.count == 2)
    #expect(lines.last?.contains("og-1  pii.email  redact  enforce  medium") == true, "\(lines)")
}

/// What a child process printed so far, filled in from the pipe's handler thread.
private final class Received: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ more: Data) {
        lock.withLock { data.append(more) }
    }

    /// The complete lines once there are `count` of them, or what there is after 20 s.
    func waitForLines(_ count: Int) -> [String] {
        let deadline = Date().addingTimeInterval(20)
        while true {
            let lines = lock.withLock { String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init) }
            if lines.count >= count || Date() > deadline { return lines }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }
}
