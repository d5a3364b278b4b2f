import Testing

@testable import OutguardProxy

/// The mock's responses parse as JSON, carry each answer where the provider's SDK
/// reads it, and stream in frames that add up to the same answers.
@Suite struct ResponseShapesTests {
    static let created = 1_700_000_000
    static let tricky = "He said \"hi\"\\ and left.\n改行の後に日本語テキスト。\ttab\u{1}end"
    static let multiChoice: Set<Provider> = [
        .openAIChat, .openAICompletions, .openAIResponses, .anthropicMessages, .gemini,
    ]

    static func texts(for provider: Provider) -> [String] {
        multiChoice.contains(provider) ? ["Hello there, friend.", tricky] : [tricky]
    }

    @Test(arguments: Provider.allCases)
    func bodyCarriesEachAnswerWhereTheSDKReadsIt(provider: Provider) throws {
        let texts = Self.texts(for: provider)
        let body = ResponseShapes.body(
            provider: provider, model: "m-1", texts: texts, id: "abc123", created: Self.created)
        let document = try JSONDocument(body)
        #expect(ShapeReader.answers(provider, document.root) == texts)
        #expect(ShapeReader.model(provider, document.root) == "m-1")
    }

    @Test(arguments: Provider.allCases)
    func streamedPiecesAddUpToEachAnswer(provider: Provider) throws {
        let texts = Self.texts(for: provider)
        let pieces = texts.map(EchoPieces.split)
        let frames = ResponseShapes.streamFrames(
            provider: provider, model: "m-1", pieces: pieces, id: "abc123", includeUsage: true, created: Self.created)
        var deltas = Array(repeating: [String](), count: texts.count)
        for event in try frames.map({ try ParsedFrame(provider, $0) }) {
            // Role, finish and final frames carry "" where text would be.
            for (index, delta) in ShapeReader.deltas(provider, event) where !delta.isEmpty {
                deltas[index].append(delta)
            }
        }
        #expect(deltas == pieces)
    }

    @Test(arguments: Provider.allCases)
    func streamWithNoTextStillEnds(provider: Provider) throws {
        let frames = ResponseShapes.streamFrames(
            provider: provider, model: "m", pieces: [[]], id: "x", includeUsage: false)
        let events = try frames.map { try ParsedFrame(provider, $0) }
        #expect(!events.isEmpty)
        #expect(events.flatMap { ShapeReader.deltas(provider, $0) }.allSatisfy { $0.text.isEmpty })
    }

    @Test func openAIChatStreamHasRoleFirstThenFinishThenUsageThenDone() throws {
        let frames = ResponseShapes.streamFrames(
            provider: .openAIChat, model: "gpt-4o-mini", pieces: [["a ", "b"], ["c"]], id: "1", includeUsage: true,
            created: Self.created)
        #expect(frames.last == Array("data: [DONE]\n\n".utf8))
        let chunks = try frames.dropLast().map { try ParsedFrame(.openAIChat, $0).json }
        #expect(
            chunks.allSatisfy { $0["object"]?.string == "chat.completion.chunk" && $0["id"]?.string == "chatcmpl-1" })
        #expect(chunks[0]["choices"]?[0]?["delta"]?["role"]?.string == "assistant")
        #expect(chunks[1]["choices"]?[0]?["delta"]?["role"]?.string == "assistant")
        let finishes = chunks.compactMap { $0["choices"]?[0]?["finish_reason"]?.string }
        #expect(finishes == ["stop", "stop"])
        // include_usage: null usage on every chunk but the last, which has no choices.
        #expect(chunks.dropLast().allSatisfy { $0["usage"]?.isNull == true })
        #expect(chunks.last?["choices"]?.items.isEmpty == true)
        #expect(chunks.last?["usage"]?["total_tokens"] != nil)

        let plain = ResponseShapes.streamFrames(
            provider: .openAIChat, model: "m", pieces: [["a"]], id: "1", includeUsage: false)
        let plainChunks = try plain.dropLast().map { try ParsedFrame(.openAIChat, $0).json }
        #expect(plainChunks.allSatisfy { $0["usage"] == nil && $0["choices"]?.items.count == 1 })
    }

    @Test func openAICompletionsStreamEndsWithFinishReasonThenDone() throws {
        let frames = ResponseShapes.streamFrames(
            provider: .openAICompletions, model: "gpt-3.5-turbo-instruct", pieces: [["x ", "y"]], id: "2",
            includeUsage: false)
        #expect(frames.last == Array("data: [DONE]\n\n".utf8))
        let chunks = try frames.dropLast().map { try ParsedFrame(.openAICompletions, $0).json }
        #expect(chunks.allSatisfy { $0["object"]?.string == "text_completion" })
        #expect(chunks.last?["choices"]?[0]?["finish_reason"]?.string == "stop")
        #expect(chunks.first?["choices"]?[0]?["finish_reason"]?.isNull == true)
    }

    @Test func openAIResponsesEventsAreNamedNumberedAndComplete() throws {
        let texts = ["one two", "three"]
        let frames = ResponseShapes.streamFrames(
            provider: .openAIResponses, model: "gpt-4.1", pieces: texts.map(EchoPieces.split), id: "r",
            includeUsage: false)
        let events = try frames.map { try ParsedFrame(.openAIResponses, $0) }
        for (position, event) in events.enumerated() {
            #expect(event.name == event.json["type"]?.string)
            #expect(event.sequenceNumber == position)
        }
        let types = events.compactMap(\.name)
        #expect(types.first == "response.created")
        #expect(types[1] == "response.in_progress")
        #expect(types.last == "response.completed")
        #expect(types.filter { $0 == "response.output_item.added" }.count == 2)
        let completed = try #require(events.last?.json["response"])
        #expect(completed["status"]?.string == "completed")
        #expect(ShapeReader.answers(.openAIResponses, completed) == texts)
        let done = events.filter { $0.name == "response.output_text.done" }.compactMap { $0.json["text"]?.string }
        #expect(done == texts)
    }

    @Test func anthropicEventsFollowTheMessageLifecycle() throws {
        let frames = ResponseShapes.streamFrames(
            provider: .anthropicMessages, model: "claude-sonnet-4-5", pieces: [["Hi ", "there"]], id: "m",
            includeUsage: false)
        let events = try frames.map { try ParsedFrame(.anthropicMessages, $0) }
        for event in events { #expect(event.name == event.json["type"]?.string) }
        #expect(
            events.map(\.name) == [
                "message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta",
                "content_block_stop", "message_delta", "message_stop",
            ])
        #expect(events[0].json["message"]?["content"]?.items.isEmpty == true)
        #expect(events[0].json["message"]?["id"]?.string == "msg_m")
        #expect(events[6].json["delta"]?["stop_reason"]?.string == "end_turn")
    }

    @Test func geminiLastEventFinishesEveryCandidate() throws {
        let frames = ResponseShapes.streamFrames(
            provider: .gemini, model: "gemini-2.5-flash", pieces: [["a ", "b ", "c"], ["d"]], id: "g",
            includeUsage: false)
        let events = try frames.map { try ParsedFrame(.gemini, $0) }
        #expect(events.allSatisfy { $0.name == nil })
        let finished = events.flatMap { $0.json["candidates"]?.items ?? .empty }.filter {
            $0["finishReason"]?.string == "STOP"
        }
        #expect(finished.count == 2)
        #expect(events.last?.json["candidates"]?[0]?["finishReason"]?.string == "STOP")
        #expect(events.last?.json["usageMetadata"]?["totalTokenCount"] != nil)
    }

    @Test(arguments: [Provider.ollamaChat, .ollamaGenerate])
    func ollamaLinesAreNotDoneUntilTheLast(provider: Provider) throws {
        let frames = ResponseShapes.streamFrames(
            provider: provider, model: "llama3.2", pieces: [["a ", "b"]], id: "", includeUsage: false,
            created: Self.created)
        let lines = try frames.map { try ParsedFrame(provider, $0).json }
        #expect(lines.dropLast().allSatisfy { $0["done"]?.bool == false && $0["done_reason"] == nil })
        #expect(lines.last?["done"]?.bool == true)
        #expect(lines.last?["done_reason"]?.string == "stop")
        #expect(lines.last?["eval_count"] != nil)
        #expect(lines.allSatisfy { $0["created_at"]?.string == "2023-11-14T22:13:20Z" })
    }

    @Test func openAIChatBodyIsExactlyTheAPIShape() {
        let body = ResponseShapes.body(
            provider: .openAIChat, model: "gpt-4o-mini", texts: ["Hi!"], id: "abc", created: Self.created,
            promptTokens: 3)
        let expected = """
            {"id":"chatcmpl-abc","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini",\
            "choices":[{"index":0,"message":{"role":"assistant","content":"Hi!","refusal":null,"annotations":[]},\
            "logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1,\
            "total_tokens":4,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},\
            "completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,\
            "rejected_prediction_tokens":0}},"service_tier":"default","system_fingerprint":null}
            """
        #expect(String(decoding: body, as: UTF8.self) == expected)
    }

    @Test func ollamaTimestampsAreRFC3339() {
        #expect(UnixTime.rfc3339(0) == "1970-01-01T00:00:00Z")
        #expect(UnixTime.rfc3339(1_700_000_000) == "2023-11-14T22:13:20Z")
        #expect(UnixTime.rfc3339(951_825_600) == "2000-02-29T12:00:00Z")
        #expect(UnixTime.rfc3339(-1) == "1969-12-31T23:59:59Z")
        let body = ResponseShapes.body(provider: .ollamaChat, model: "m", texts: ["x"], id: "", created: 0)
        #expect(String(decoding: body, as: UTF8.self).contains(#""created_at":"1970-01-01T00:00:00Z""#))
    }

    @Test func contentTypesFollowTheFraming() {
        #expect(ResponseShapes.contentType(provider: .openAIChat, stream: false) == "application/json")
        #expect(ResponseShapes.contentType(provider: .openAIResponses, stream: true) == "text/event-stream")
        #expect(ResponseShapes.contentType(provider: .gemini, stream: true) == "text/event-stream")
        #expect(ResponseShapes.contentType(provider: .ollamaGenerate, stream: true) == "application/x-ndjson")
        #expect(ResponseShapes.contentType(provider: .ollamaChat, stream: false) == "application/json")
    }

    @Test func stringsWithQuotesNewlinesAndJapaneseRoundTrip() throws {
        let samples = [Self.tricky, "", "\u{0}\u{1F}\u{7F}", "絵文字👍🏽と \\u0041 そのまま", "\r\n\"\"\\"]
        for sample in samples {
            let json: JSONValue = ["text": .string(sample), "list": [.string(sample)]]
            let document = try JSONDocument(json.bytes)
            #expect(document.root["text"]?.string == sample)
            #expect(document.root["list"]?[0]?.string == sample)
        }
    }

    @Test func idsAreFreshAndPlain() {
        let first = ResponseShapes.makeID()
        #expect(first.count == 24)
        #expect(first.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
        #expect(first != ResponseShapes.makeID())
    }
}
