import Testing

@testable import OutguardProxy

@Suite struct FrameCodecTests {
    private func decode(_ chunks: [[UInt8]], framing: StreamFraming) -> [StreamFrame] {
        var codec = framing.makeCodec()
        var frames: [StreamFrame] = []
        for chunk in chunks { codec.decode(chunk, into: &frames) }
        codec.finish(into: &frames)
        return frames
    }

    private func payloads(_ frames: [StreamFrame]) -> [String] {
        frames.compactMap { $0.payload.map { String(decoding: $0, as: UTF8.self) } }
    }

    static let stream = Array(
        "event: a\r\ndata: {\"x\":1}\r\n\r\n: comment\n\ndata: line1\ndata: line2\n\nid: 7\rdata: [DONE]\r\r".utf8)

    @Test func readsEveryLineEndingCommentsAndMultiLineData() {
        let frames = decode([Self.stream], framing: .sse)
        #expect(payloads(frames) == ["{\"x\":1}", "line1\nline2", "[DONE]"])
        #expect(frames.flatMap(\.raw) == Self.stream)
    }

    @Test func anySplitGivesTheSameFrames() {
        let whole = payloads(decode([Self.stream], framing: .sse))
        for size in 1...7 {
            let chunks = stride(from: 0, to: Self.stream.count, by: size).map {
                Array(Self.stream[$0..<min($0 + size, Self.stream.count)])
            }
            let frames = decode(chunks, framing: .sse)
            #expect(payloads(frames) == whole, "pieces of \(size) bytes")
            #expect(frames.flatMap(\.raw) == Self.stream)
        }
    }

    /// Line ends are searched for eight bytes at a time: each kind is found at every
    /// offset of a word.
    @Test func lineEndsAtEveryOffset() {
        for ending in ["\n", "\r\n", "\r"] {
            let datas = (0..<20).map { String(repeating: "x", count: $0) }
            let stream = datas.map { "data: \($0)\(ending)\(ending)" }.joined()
            let frames = decode([Array(stream.utf8)], framing: .sse)
            #expect(payloads(frames) == datas, "\(ending.utf8.map { $0 })")
            #expect(frames.flatMap(\.raw) == Array(stream.utf8))
        }
    }

    @Test func anUnendedEventIsPassedOn() {
        let frames = decode([Array("data: {}\n\ndata: {\"cut".utf8)], framing: .sse)
        #expect(frames.count == 2)
        #expect(frames.flatMap(\.raw) == Array("data: {}\n\ndata: {\"cut".utf8))
    }

    @Test func encodeKeepsOtherLinesAndReplacesData() {
        let frame = decode([Array("event: e\r\nid: 1\r\ndata: {\"a\":\r\ndata: 1}\r\n\r\n".utf8)], framing: .sse)[0]
        let encoded = SSECodec().encode(frame, payload: Array("{\"a\":2}".utf8))
        #expect(String(decoding: encoded, as: UTF8.self) == "event: e\r\nid: 1\r\ndata: {\"a\":2}\n\r\n")
        let again = decode([encoded], framing: .sse)
        #expect(payloads(again) == ["{\"a\":2}"])
    }

    /// Frames are slices of the read they came in: one that does not start the read is
    /// parsed, edited and written back by its own offsets, and the frames of earlier
    /// reads keep their bytes while later reads arrive.
    @Test func aFrameInsideARead() throws {
        var codec = StreamFraming.sse.makeCodec()
        var frames: [StreamFrame] = []
        codec.decode(Array("data: {\"a\":1}\n\nevent: e\ndata: {\"b\":\"x\"}\n\ndata: {\"c\"".utf8), into: &frames)
        let second = frames[1]
        #expect(second.raw.startIndex > 0)
        let document = try JSONDocument(try #require(second.payload))
        let value = try #require(document.root["b"])
        #expect(value.string == "x" && value.json == Array("\"x\"".utf8))
        var edits = JSONEdits()
        edits.replace(value, withString: "y")
        let encoded = codec.encode(second, payload: document.applying(edits))
        #expect(String(decoding: encoded, as: UTF8.self) == "event: e\ndata: {\"b\":\"y\"}\n\n")

        codec.decode(Array(":2}\n\n".utf8), into: &frames)
        #expect(payloads(frames) == ["{\"a\":1}", "{\"b\":\"x\"}", "{\"c\":2}"])
        #expect(String(decoding: frames.flatMap(\.raw), as: UTF8.self).hasPrefix("data: {\"a\":1}\n\nevent: e\n"))
    }

    @Test func ndjsonLines() {
        let body = Array("{\"a\":1}\n\n{\"b\":2}\r\n{\"c\"".utf8)
        for size in [1, 2, 5, body.count] {
            let chunks = stride(from: 0, to: body.count, by: size).map { Array(body[$0..<min($0 + size, body.count)]) }
            let frames = decode(chunks, framing: .ndjson)
            #expect(payloads(frames) == ["{\"a\":1}", "{\"b\":2}", "{\"c\""])
            #expect(frames.flatMap(\.raw) == body)
        }
    }
}
