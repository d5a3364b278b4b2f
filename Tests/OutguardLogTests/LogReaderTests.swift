import Foundation
import Testing

@testable import OutguardLog

@Suite struct LogReaderTests {
    private func requestIDs(_ paths: [String]) throws -> (ids: [String], skipped: SkippedLines) {
        var ids: [String] = []
        let skipped = try LogReader(files: paths).read { ids.append($0.requestID ?? "-") }
        return (ids, skipped)
    }

    @Test func rotatedFilesAreReadOldestFirstThenTheLog() throws {
        let folder = try SampleLog.folder([
            "v.jsonl": SampleLog.line("og-new") + "\n",
            "v.jsonl.1": SampleLog.line("og-1") + "\n",
            "v.jsonl.2": SampleLog.line("og-2") + "\n",
            "v.jsonl.10": SampleLog.line("og-10") + "\n",
            "v.jsonl.1.gz": "not read",
            "v.jsonl.bak": "not read",
        ])
        let log = folder.appendingPathComponent("v.jsonl").path
        let files = try LogFiles.rotated(from: log)
        #expect(
            files.paths
                == ["v.jsonl.10", "v.jsonl.2", "v.jsonl.1", "v.jsonl"].map { folder.appendingPathComponent($0).path })
        #expect(files.livePaths == [log])
        #expect(try requestIDs(files.paths).ids == ["og-10", "og-2", "og-1", "og-new"])
    }

    @Test func aRotatedLogWhoseCurrentFileIsGoneStillReads() throws {
        let folder = try SampleLog.folder(["v.jsonl.1": SampleLog.line("og-1") + "\n"])
        let files = try LogFiles.rotated(from: folder.appendingPathComponent("v.jsonl").path)
        #expect(files.paths == [folder.appendingPathComponent("v.jsonl.1").path])
        #expect(throws: LogFileError.noSuchFile(folder.appendingPathComponent("w.jsonl").path)) {
            try LogFiles.rotated(from: folder.appendingPathComponent("w.jsonl").path)
        }
    }

    @Test func globsAreExpandedAndEachFamilyReadInRotationOrder() throws {
        let folder = try SampleLog.folder([
            "a.jsonl": SampleLog.line("a-live") + "\n",
            "a.jsonl.1": SampleLog.line("a-old") + "\n",
            "b.jsonl": SampleLog.line("b-live") + "\n",
            "notes.txt": "not matched",
        ])
        let files = try LogFiles.named([folder.path + "/*.jsonl*"])
        #expect(try requestIDs(files.paths).ids == ["a-old", "a-live", "b-live"])
        #expect(files.livePaths == ["a.jsonl", "b.jsonl"].map { folder.appendingPathComponent($0).path })
        // Named twice (a path and a glob that matches it): read once.
        let twice = try LogFiles.named([folder.path + "/b.jsonl", folder.path + "/b*"])
        #expect(twice.paths == [folder.appendingPathComponent("b.jsonl").path])
    }

    @Test func namesThatFindNothingAreErrors() throws {
        let folder = try SampleLog.folder()
        #expect(throws: LogFileError.noMatch(pattern: folder.path + "/*.jsonl")) {
            try LogFiles.named([folder.path + "/*.jsonl"])
        }
        #expect(throws: LogFileError.noSuchFile("no-such.jsonl")) { try LogFiles.named(["no-such.jsonl"]) }
        #expect(throws: LogFileError.isFolder(folder.path)) { try LogFiles.named([folder.path]) }
        #expect(LogFileError.noSuchFile("x.jsonl").description == "no such file: x.jsonl")
    }

    @Test func badLinesAreSkippedAndCountedWithTheirPlace() throws {
        let lines = [
            SampleLog.line("og-1"),
            "not json at all",
            #"{"event":"violation","request_id":"og-x"}"#,
            "",
            #"{"ts":"yesterday","event":"violation"}"#,
            #"{"ts":"2026-11-29T07:00:00.000Z","event":"alert"}"#,
            #"{"ts":"2026-11-29T07:00:00.000Z","event":"violation","span":[1,"2"]}"#,
            #"{"ts":"2026-11-29T07:00:00.000Z","event":"violation","rule":"r"} trailing"#,
            #"{"ts":"2026-11-29T07:00:00.000Z","event":"violation","rule":"unfinished"#,
            SampleLog.line("og-2"),
        ]
        let folder = try SampleLog.folder(["v.jsonl": lines.joined(separator: "\n") + "\n"])
        let path = folder.appendingPathComponent("v.jsonl").path
        let (ids, skipped) = try requestIDs([path])
        #expect(ids == ["og-1", "og-2"])
        #expect(skipped.count == 7)
        #expect(
            skipped.first.map(\.description) == [
                "\(path):2: not a JSON object",
                "\(path):3: no \"ts\"",
                "\(path):5: \"ts\" is not an ISO 8601 time: yesterday",
                "\(path):6: unknown event \"alert\"",
                "\(path):7: expected an integer at column 64",
            ])
        #expect(skipped.description.hasSuffix("… and 2 more"), "\(skipped)")
    }

    @Test func unknownKeysAndNullsAreIgnored() throws {
        let line = #"""
            {"ts":"2026-11-29T07:00:00.123Z","future":{"nested":[1,{"s":"}]\""}],"n":null},"event":"feedback","request_id":"og-1","model":null,"label":"correct","later":[true,false,-1.5e3],"note":"ok"}
            """#
        let record = try LineFixture.decode(line)
        #expect(record.event == .feedback)
        #expect(record.requestID == "og-1")
        #expect(record.model == nil)
        #expect(record.label == .correct)
        #expect(record.note == "ok")
    }

    @Test func escapesAndUnicodeAreDecoded() throws {
        let line =
            #"{"ts":"2026-11-29T07:00:00Z","event":"violation","context":"a\"b\\c\nd\u00e9\ud83d\ude00 \u65e5本\/"}"#
        #expect(try LineFixture.decode(line).context == "a\"b\\c\ndé😀 日本/")
    }

    /// Every key of the record, written by `JSONEncoder`, comes back the same: the
    /// decoder reads the whole contract.
    @Test func everyFieldSurvivesTheTrip() throws {
        var record = LogRecord(ts: Date(timeIntervalSince1970: 1_795_000_000), event: .request)
        record.requestID = "og-7f3a"
        record.policy = "default"
        record.ruleset = "sha256:abc"
        record.pack = "pii"
        record.rule = "pii.email"
        record.action = "redact"
        record.mode = "shadow"
        record.severity = "medium"
        record.provider = "openai.chat"
        record.model = "gpt-4o-mini"
        record.stream = false
        record.choice = 2
        record.span = [120, 142]
        record.match = "t***@e******.jp"
        record.context = "…連絡先は [EMAIL] です…"
        record.detail = "match limit"
        record.scores = ["harassment": 0.93, "hate/threatening": 0.125]
        record.rules = ["pii.email", "pii.phone-jp"]
        record.findings = 3
        record.upstreamStatus = 200
        record.latencyMs = 12.25
        record.label = .falseNegative
        record.note = "missed"
        record.source = "cli"
        record.oldRuleset = "sha256:old"
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let line = String(decoding: try encoder.encode(record), as: UTF8.self)
        #expect(try LineFixture.decode(line) == record)
    }

    @Test func countingLeavesTheTextsOut() throws {
        let folder = try SampleLog.folder(["v.jsonl": SampleLog.text])
        var records: [LogRecord] = []
        let skipped = try LogReader(files: [folder.appendingPathComponent("v.jsonl").path], detail: .counting).read {
            records.append($0)
        }
        #expect(skipped.count == 0)
        #expect(records.count == SampleLog.lines.count)
        #expect(records[0].context == nil && records[0].match == nil && records[0].ruleset == nil)
        #expect(records[0].span == nil && records[0].stream == nil && records[0].severity == nil)
        #expect(records[0].requestID == "og-1" && records[0].rule == "pii.email" && records[0].pack == "pii")
        #expect(records[0].mode == "enforce" && records[0].model == "gpt-4o-mini")
        #expect(records[2].rules == ["pii.email"] && records[2].findings == nil)
        #expect(records[6].label == .correct && records[8].note == nil)
    }

    @Test func linesAcrossChunksAndWithoutAFinalNewline() throws {
        // A chunk of 8 bytes splits every line, and multi-byte characters, many times;
        // the buffer grows to hold the longest line.
        let lines = [
            "short", "a line with 日本語 in it", "", "windows line\r", String(repeating: "x", count: 100), "last",
        ]
        let folder = try SampleLog.folder(["v.txt": lines.joined(separator: "\n")])
        let reader = try LineReader(path: folder.appendingPathComponent("v.txt").path, chunkBytes: 8)
        var read: [String] = []
        var numbers: [Int] = []
        let collect = { (line: LineReader.Line) in
            read.append(String(decoding: line.bytes, as: UTF8.self))
            numbers.append(line.number)
        }
        while try reader.readChunk(collect) > 0 {}
        #expect(read == Array(lines.dropLast()).map { $0.replacingOccurrences(of: "\r", with: "") })
        try reader.finish(collect)
        #expect(read.last == "last")
        #expect(numbers == Array(1...6))
    }

    @Test func progressCountsEveryByte() throws {
        let folder = try SampleLog.folder(["a.jsonl": SampleLog.text, "b.jsonl": SampleLog.text])
        let paths = ["a.jsonl", "b.jsonl"].map { folder.appendingPathComponent($0).path }
        var last: LogReader.Progress?
        var records = 0
        _ = try LogReader(files: paths).read(progress: { last = $0 }) { _ in records += 1 }
        let size = Int64(SampleLog.text.utf8.count)
        #expect(last == LogReader.Progress(bytesRead: 2 * size, totalBytes: 2 * size))
        #expect(records == 2 * SampleLog.lines.count)
    }
}

/// Decodes one line as the reader does.
enum LineFixture {
    static func decode(_ line: String) throws -> LogRecord {
        var line = line
        return try line.withUTF8 { try LogRecordDecoder.decode(UnsafeRawBufferPointer($0)) }
    }
}
