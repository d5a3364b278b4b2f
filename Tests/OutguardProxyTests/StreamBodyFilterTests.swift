import OutguardConfig
import Foundation
import OutguardEngine
import OutguardLog
import PropertyBased
import Testing

@testable import OutguardProxy

/// DESIGN.md's invariants for every adapter, without sockets: the upstream's bytes cut
/// anywhere, through `StreamBodyFilter`, against `BodyFilter` on the same answer.
@Suite struct StreamBodyFilterTests {
    static let policy: Policy = {
        let root = #filePath.split(separator: "/").dropLast(3).joined(separator: "/")
        let compiled = RuleSetLoader.load(paths: ["/" + root + "/rules"]).compile()
        return compiled.policy!
    }()

    static let privateKey = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC"
    static let answers = [
        "Write to taro.yamada@example.co.jp or hanako@example.jp today.",
        "Here it is:\n\(privateKey)\nand more text after the key",
        "plain text with no findings at all, 何もない普通の文章です。",
        "Acme Corp is a competitor, \"quoted\" and back\\slashed.",
        "連絡先は 山田 <taro@example.com> です。よろしく。",
        // A redacted piece with escapes around the match: its text is decoded again
        // from the frame when it is rewritten.
        "Mail \"jiro@example.org\"\tor\\ \"jiro@example.org\n\" now.",
    ]
    static let secrets = [
        "taro.yamada@example.co.jp", "hanako@example.jp", "taro@example.com", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
        "jiro@example.org",
    ]

    /// `outguard bench proxy` times real work: each case filters the answer, and the
    /// stream sends the same bytes however it is read.
    @Test func theProxyBenchmarksCasesFilterTheAnswer() {
        let text = "Mail taro.yamada@example.co.jp about the release. " + String(repeating: "Plain words. ", count: 40)
        let cases = FilterBenchmark.cases(policy: Self.policy, text: text, events: 20)
        #expect(cases.map(\.name) == ["non-streamed", "stream, one read", "stream, event a read"])
        let sent = cases.map { $0.run() }
        #expect(sent.allSatisfy { $0 > text.utf8.count })
        #expect(sent[1] == sent[2])
    }

    /// Its log cases redact the same three findings, and the logged ones write what the
    /// daemon writes for each response: three violations and a request record.
    @Test func theProxyBenchmarksLoggedCasesWriteTheLog() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("og-bench-log-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        var writers: [(path: String, writer: LogWriter<LogRecord>)] = []
        let cases = FilterBenchmark.loggedCases(policy: Self.policy, text: "Plain words.") {
            var config = LogConfig()
            config.path = folder.appendingPathComponent("v\(writers.count).jsonl").path
            let writer = LogWriter<LogRecord>(config.violationFile!)
            writers.append((config.path!, writer))
            return (ViolationLog(records: writer, captures: nil, config: config), { await writer.close() })
        }
        #expect(cases.map(\.name) == ["3 findings, no log", "3 findings, logged", "3 findings, log alone"])
        let sent = cases.prefix(2).map { $0.run() } + [cases[1].run()]
        #expect(Set(sent).count == 1)
        #expect(cases[2].run() > 0 && cases[2].run() > 0)
        for benchCase in cases { await benchCase.settle() }
        #expect(writers.count == 2)
        for (path, writer) in writers {
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            let events = lines.map {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["event"] as? String
            }
            let response = ["violation", "violation", "violation", "request"]
            #expect(events == response + response)
            #expect(writer.stats.written == 8)
        }
    }

    // MARK: Helpers

    private static func filterWhole(_ provider: Provider, _ texts: [String]) -> (
        body: [UInt8], outcome: Verdict.Outcome
    ) {
        let body = ResponseShapes.body(provider: provider, model: "m", texts: texts, id: "x", created: 1)
        let filter = BodyFilter(
            adapter: provider.adapter, policy: policy, options: FilterOptions(), failClosed: true,
            refuseWithError: false)
        let (result, _, outcome) = filter.filter(body)
        switch result {
        case .unchanged: return (body, outcome)
        case .rewritten(let bytes): return (bytes, outcome)
        case .refused, .malformed: Issue.record("unexpected \(result)"); return ([], outcome)
        }
    }

    private static func upstreamStream(_ provider: Provider, _ texts: [String]) -> [UInt8] {
        ResponseShapes.streamFrames(
            provider: provider, model: "m", pieces: texts.map(EchoPieces.split), id: "x", includeUsage: true, created: 1
        ).flatMap { $0 }
    }

    private static func filterStream(_ provider: Provider, _ bytes: [UInt8], cuts: [Int]) -> (
        bytes: [UInt8], outcome: Verdict.Outcome
    ) {
        let filter = StreamBodyFilter(
            adapter: provider.adapter, framing: provider.streamFraming, policy: policy, options: FilterOptions(),
            failClosed: true)
        var output: [UInt8] = []
        var start = 0
        for cut in (cuts.map { min(max($0, 0), bytes.count) } + [bytes.count]).sorted() where cut > start {
            output += filter.process(bytes[start..<cut])
            start = cut
        }
        output += filter.finishBytes()
        return (output, filter.outcome)
    }

    /// The text per choice a client reads from a stream.
    private static func streamedTexts(_ provider: Provider, _ bytes: [UInt8]) throws -> [Int: String] {
        var codec = provider.streamFraming.makeCodec()
        var frames: [StreamFrame] = []
        codec.decode(bytes, into: &frames)
        codec.finish(into: &frames)
        var texts: [Int: String] = [:]
        for frame in frames where frame.payload != nil {
            let parsed = try ParsedFrame(provider, frame.raw)
            for (choice, text) in ShapeReader.deltas(provider, parsed) { texts[choice, default: ""] += text }
        }
        return texts
    }

    private static func check(_ provider: Provider, _ texts: [String], cuts: [Int]) throws {
        let whole = filterWhole(provider, texts)
        let expected = ShapeReader.answers(provider, try JSONDocument(whole.body).root)
        let upstream = upstreamStream(provider, texts)
        let streamed = filterStream(provider, upstream, cuts: cuts)
        let got = try streamedTexts(provider, streamed.bytes)
        let rendered = String(decoding: streamed.bytes, as: UTF8.self)
        for secret in secrets { #expect(!rendered.contains(secret), "\(provider) leaked \(secret)") }
        #expect(streamed.outcome == whole.outcome, "\(provider)")
        let blockedChoices = texts.indices.filter { policy.evaluate(texts[$0]).isBlocked }
        for (choice, text) in expected.enumerated() {
            if whole.outcome == .block {
                // A block ends the whole stream: a blocked choice may show its text
                // before the block point, then the message; the others stop early.
                let shown = got[choice] ?? ""
                let endsInMessage = blockedChoices.contains(choice) && shown.hasSuffix(text)
                let rewritten = policy.evaluate(texts[choice]).text
                #expect(endsInMessage || rewritten.hasPrefix(shown), "\(provider) choice \(choice): \(shown)")
            } else {
                #expect(got[choice] == text, "\(provider) choice \(choice)")
            }
        }
        if whole.outcome == .pass {
            #expect(streamed.bytes == upstream, "\(provider): a clean stream must pass byte for byte")
        }
    }

    // MARK: Invariants

    @Test(arguments: Provider.allCases)
    func cleanAnswersPassByteForByte(_ provider: Provider) throws {
        let texts = [Self.answers[2]]
        let upstream = Self.upstreamStream(provider, texts)
        for size in [1, 2, 3, 7, 64] {
            let cuts = Array(stride(from: size, to: upstream.count, by: size))
            #expect(
                Self.filterStream(provider, upstream, cuts: cuts).bytes == upstream, "\(provider), pieces of \(size)")
        }
        let body = ResponseShapes.body(provider: provider, model: "m", texts: texts, id: "x", created: 1)
        #expect(Self.filterWhole(provider, texts).body == body)
    }

    @Test(arguments: Provider.allCases)
    func fixedSplitsMatchTheWholeAnswer(_ provider: Provider) throws {
        for answer in Self.answers {
            let upstream = Self.upstreamStream(provider, [answer])
            for size in [1, 3, 7, 50, upstream.count] {
                try Self.check(provider, [answer], cuts: Array(stride(from: size, to: upstream.count, by: size)))
            }
        }
    }

    @Test(arguments: Provider.allCases)
    func randomSplitsMatchTheWholeAnswer(_ provider: Provider) async throws {
        let choices = provider == .ollamaChat || provider == .ollamaGenerate ? 1...1 : 1...3
        let texts = Gen.int(in: 0...(Self.answers.count - 1)).map { Self.answers[$0] }.array(of: choices)
        let cuts = Gen.int(in: 0...4000).array(of: 0...60)
        await propertyCheck(count: 40, input: texts, cuts) { texts, cuts in
            try Self.check(provider, texts, cuts: cuts)
        }
    }

    @Test func responsesDoneEventsCarryTheRewrittenText() throws {
        let upstream = Self.upstreamStream(.openAIResponses, [Self.answers[0]])
        let output = Self.filterStream(
            .openAIResponses, upstream, cuts: Array(stride(from: 5, to: upstream.count, by: 5))
        ).bytes
        var codec = SSECodec()
        var frames: [StreamFrame] = []
        codec.decode(output, into: &frames)
        var deltas = ""
        var repeated: [String] = []
        for frame in frames {
            let json = try ParsedFrame(.openAIResponses, frame.raw).json
            switch json["type"]?.string {
            case "response.output_text.delta": deltas += json["delta"]?.string ?? ""
            case "response.output_text.done": repeated.append(json["text"]?.string ?? "")
            case "response.content_part.done": repeated.append(json["part"]?["text"]?.string ?? "")
            case "response.output_item.done": repeated.append(json["item"]?["content"]?[0]?["text"]?.string ?? "")
            case "response.completed":
                repeated.append(json["response"]?["output"]?[0]?["content"]?[0]?["text"]?.string ?? "")
            default: break
            }
        }
        #expect(deltas == "Write to [EMAIL] or [EMAIL] today.")
        #expect(repeated == Array(repeating: deltas, count: 4))
    }

    @Test func aBlockedStreamEndsWithTheProvidersTerminalFrames() throws {
        let upstream = Self.upstreamStream(.openAIChat, [Self.answers[1]])
        let output = String(
            decoding: Self.filterStream(.openAIChat, upstream, cuts: [10, 200, 400]).bytes, as: UTF8.self)
        #expect(output.hasSuffix("\"finish_reason\":\"content_filter\"}]}\n\ndata: [DONE]\n\n"))
        #expect(output.components(separatedBy: "[DONE]").count == 2)
    }

    /// A piece is checked to be UTF-8 where it lies, and bytes that are not are counted
    /// as the U+FFFD that replaces them: a redaction later in the same piece, or in the
    /// next one, still lands on its match, and an unchanged piece goes out as it came.
    @Test func textThatIsNotUTF8IsReadAsReplacementCharacters() {
        func chunk(_ content: [UInt8]) -> [UInt8] {
            Array("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"".utf8) + content
                + Array("\"}}]}\n\n".utf8)
        }
        let first = chunk([0x63, 0x61, 0x66, 0xFF, 0x20])
        let body =
            first + chunk([0xC3] + Array(" jiro@example.org, ".utf8)) + chunk(Array("and jiro@example.org".utf8))
            + Array("data: [DONE]\n\n".utf8)
        for cuts in [[], [first.count], Array(stride(from: 1, to: body.count, by: 1))] {
            let filter = StreamBodyFilter(
                adapter: OpenAIChatAdapter(), framing: .sse, policy: Self.policy, options: FilterOptions(),
                failClosed: true)
            var output: [UInt8] = []
            var start = 0
            for cut in cuts + [body.count] {
                output += filter.process(body[start..<cut])
                start = cut
            }
            output += filter.finishBytes()
            #expect(Array(output.prefix(first.count)) == first, "pieces cut at \(cuts.count)")
            let text = String(decoding: output, as: UTF8.self)
            #expect(text.contains("\"content\":\"\u{FFFD} [EMAIL], \"}"), "pieces cut at \(cuts.count)")
            #expect(text.contains("\"content\":\"and [EMAIL]\"}"), "pieces cut at \(cuts.count)")
            #expect(!text.contains("jiro@"))
        }
    }

    @Test func malformedFramesFollowFailMode() {
        let body = Array(
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi \"}}]}\n\ndata: {not json\n\ndata: [DONE]\n\n"
                .utf8)
        for failClosed in [true, false] {
            let filter = StreamBodyFilter(
                adapter: OpenAIChatAdapter(), framing: .sse, policy: Self.policy, options: FilterOptions(),
                failClosed: failClosed)
            let output = String(decoding: filter.process(body) + filter.finishBytes(), as: UTF8.self)
            #expect(filter.malformedFrames == 1)
            #expect(output.contains("{not json") == !failClosed)
            #expect(output.contains("content_filter") == failClosed)
        }
    }
}
