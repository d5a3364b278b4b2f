import Foundation
import PropertyBased
import Testing

@testable import OutguardLog

/// The log's line format, which the reader and every log pipeline rely on.
@Suite struct LineEncodingTests {
    @Test func theDesignsExampleLine() {
        var record = LogRecord(ts: Date(timeIntervalSince1970: 1_795_935_600.123), event: .violation)
        record.requestID = "og-7f3a"
        record.policy = "default"
        record.ruleset = "sha256:ab"
        record.pack = "pii"
        record.rule = "pii.email"
        record.action = "redact"
        record.mode = "enforce"
        record.severity = "medium"
        record.provider = "openai.chat"
        record.model = "gpt-4o-mini"
        record.stream = true
        record.choice = 0
        record.span = [120, 142]
        record.match = "t***@e******.jp"
        record.context = "…連絡先は [EMAIL] です…"
        let expected = """
            {"ts":"2026-11-29T07:00:00.123Z","event":"violation","request_id":"og-7f3a","policy":"default",\
            "ruleset":"sha256:ab","pack":"pii","rule":"pii.email","action":"redact","mode":"enforce",\
            "severity":"medium","provider":"openai.chat","model":"gpt-4o-mini","stream":true,"choice":0,\
            "span":[120,142],"match":"t***@e******.jp","context":"…連絡先は [EMAIL] です…"}

            """
        #expect(String(decoding: record.encodedLine(), as: UTF8.self) == expected)
    }

    @Test func aCaptureLine() {
        let response = CapturedResponse(
            ts: Date(timeIntervalSince1970: 1_795_935_600.123), requestID: "og-1", policy: "default",
            ruleset: "sha256:ab", provider: "openai.chat", model: nil, stream: true, hadFindings: true,
            segments: [.init(choice: 0, text: "a"), .init(choice: 1, field: "refusal", text: "b")])
        #expect(
            String(decoding: response.encodedLine(), as: UTF8.self) == """
                {"ts":"2026-11-29T07:00:00.123Z","request_id":"og-1","policy":"default","ruleset":"sha256:ab",\
                "provider":"openai.chat","stream":true,"had_findings":true,"segments":[{"choice":0,"field":"text",\
                "text":"a"},{"choice":1,"field":"refusal","text":"b"}]}

                """)
    }

    @Test func absentFieldsAreLeftOutAndNumbersAreCompact() {
        var record = LogRecord(ts: Date(timeIntervalSince1970: 0), event: .request)
        record.rules = []
        record.findings = -3
        record.upstreamStatus = 200
        record.latencyMs = 120
        record.label = .falsePositive
        #expect(
            String(decoding: record.encodedLine(), as: UTF8.self) == """
                {"ts":"1970-01-01T00:00:00.000Z","event":"request","rules":[],"findings":-3,"upstream_status":200,\
                "latency_ms":120,"label":"false_positive"}

                """)
        record.latencyMs = 0.25
        #expect(String(decoding: record.encodedLine(), as: UTF8.self).contains(#""latency_ms":0.25,"#))
        // JSON has no NaN: the field goes, the line stays valid.
        record.latencyMs = .nan
        #expect(!String(decoding: record.encodedLine(), as: UTF8.self).contains("latency_ms"))
    }

    @Test func stringsAreEscapedAsJSONRequires() {
        var record = LogRecord(ts: Date(timeIntervalSince1970: 0), event: .feedback)
        record.note = "a\"b\\c\nd\re\tf\u{08}g\u{0C}h\u{00}i\u{1F}j\u{7F}k/l日本\u{2028}👩‍💻"
        let line = String(decoding: record.encodedLine(), as: UTF8.self)
        #expect(line.contains(#""note":"a\"b\\c\nd\re\tf\bg\fh\u0000i\u001fj"#))
        // DEL, `/` and everything beyond ASCII stay as they are, in UTF-8.
        #expect(line.contains("\u{7F}k/l日本\u{2028}👩‍💻\"}"))
        #expect(line.filter { $0 == "\n" }.count == 1)
    }

    @Test func timestampsAreUTCWithMilliseconds() {
        let cases: [(Double, String)] = [
            (0, "1970-01-01T00:00:00.000Z"),
            (951_782_400, "2000-02-29T00:00:00.000Z"),
            (1_709_251_199.999, "2024-02-29T23:59:59.999Z"),
            (4_102_444_800.5, "2100-01-01T00:00:00.500Z"),
            (-1, "1969-12-31T23:59:59.000Z"),
            (-0.001, "1969-12-31T23:59:59.999Z"),
            (253_402_300_799.999, "9999-12-31T23:59:59.999Z"),
        ]
        for (seconds, text) in cases {
            var bytes: [UInt8] = []
            ISO8601Milliseconds.append(Date(timeIntervalSince1970: seconds), to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == text, "\(seconds)")
        }
    }

    /// Every line, whatever its text, reads back with `JSONDecoder` as the record it was.
    @Test func everyLineDecodesToAnEqualRecord() throws {
        var random = Xoshiro(seed: (4, 0, 0, 0))
        for _ in 0..<300 {
            let record = randomRecord(using: &random)
            let line = record.encodedLine()
            #expect(line.last == UInt8(ascii: "\n"))
            #expect(!line.dropLast().contains(UInt8(ascii: "\n")))
            #expect(try decodeRecord(Data(line)) == record)
        }
    }

    @Test func everyCaptureLineDecodesToAnEqualResponse() throws {
        var random = Xoshiro(seed: (5, 0, 0, 0))
        for _ in 0..<100 {
            let segments = (0..<Int.random(in: 0...3, using: &random)).map { index in
                CapturedResponse.Segment(
                    choice: index, field: index == 2 ? "tool_arguments" : "text", text: randomText(using: &random))
            }
            let response = CapturedResponse(
                ts: randomDate(using: &random), requestID: randomText(using: &random), policy: "default",
                ruleset: "sha256:00", provider: "anthropic.messages", model: Bool.random(using: &random) ? "m" : nil,
                stream: Bool.random(using: &random), hadFindings: Bool.random(using: &random), segments: segments)
            let line = response.encodedLine()
            #expect(try decodeRecord(Data(line), as: CapturedResponse.self) == response)
        }
    }

    /// A response's records share one buffer: each line stands alone, as if it had one.
    @Test func linesFollowEachOtherInOneBuffer() {
        var lines = LogLines<LogRecord>()
        lines.append(violation("og-1"))
        lines.append(violation("og-2"))
        #expect(lines.count == 2)
        #expect(lines.bytes == violation("og-1").encodedLine() + violation("og-2").encodedLine())
    }

    /// Every field set, strings drawn from the characters that break naive encoders.
    private func randomRecord(using random: inout Xoshiro) -> LogRecord {
        var record = LogRecord(
            ts: randomDate(using: &random), event: LogRecord.Event.allCases.randomElement(using: &random)!)
        let texts: [WritableKeyPath<LogRecord, String?>] = [
            \.requestID, \.policy, \.ruleset, \.pack, \.rule, \.action, \.mode, \.severity, \.provider, \.model,
            \.match, \.context, \.detail, \.note, \.source, \.oldRuleset,
        ]
        for path in texts { record[keyPath: path] = randomText(using: &random) }
        record.stream = Bool.random(using: &random)
        record.choice = Int.random(in: 0...8, using: &random)
        record.span = [Int.random(in: 0...1_000, using: &random), Int.random(in: 1_000...Int.max, using: &random)]
        record.rules = (0..<Int.random(in: 0...3, using: &random)).map { _ in randomText(using: &random) }
        record.findings = Int.random(in: Int.min...Int.max, using: &random)
        record.upstreamStatus = Int.random(in: 100...599, using: &random)
        record.latencyMs = [0, 1, 0.1, 1e-7, 123_456.789, Double.random(in: 0..<100_000, using: &random)]
            .randomElement(using: &random)
        record.label = LogRecord.Label.allCases.randomElement(using: &random)
        // Category names come from a classifier's answer: any text.
        record.scores = Dictionary(
            (0..<Int.random(in: 0...3, using: &random)).map { _ in
                (randomText(using: &random), [0, 1, 0.5, 0.125, Double.random(in: 0...1, using: &random)].randomElement(using: &random)!)
            }, uniquingKeysWith: { first, _ in first })
        return record
    }

    private func randomText(using random: inout Xoshiro) -> String {
        let pool: [Unicode.Scalar] =
            Array("aZ09 .@-_/".unicodeScalars) + (0..<0x20).map { Unicode.Scalar($0)! } + [
                "\"", "\\", "\u{7F}", "é", "\u{301}", "日", "本", "カ", "ｶ", "\u{2028}", "\u{FEFF}", "\u{FFFF}", "😀",
                "\u{10FFFF}", "\u{200D}",
            ]
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...24, using: &random) { scalars.append(pool.randomElement(using: &random)!) }
        return String(scalars)
    }

    /// Whole milliseconds between 2000 and 2100, as the writer keeps them.
    private func randomDate(using random: inout Xoshiro) -> Date {
        let milliseconds = Int.random(in: 946_684_800_000...4_102_444_800_000, using: &random)
        return Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
