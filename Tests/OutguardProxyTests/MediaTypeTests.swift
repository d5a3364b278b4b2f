import Testing

@testable import OutguardProxy

@Suite struct MediaTypeTests {
    @Test(arguments: [
        ("application/json", false, true),
        ("Application/JSON; charset=utf-8", false, true),
        ("application/problem+json", false, true),
        ("text/event-stream", true, false),
        ("text/event-stream;charset=UTF-8", true, false),
        ("application/x-ndjson", true, true),
        ("text/plain", false, false),
        ("", false, false),
    ])
    func readsWhatTheBodyIs(_ value: String, isStream: Bool, isJSON: Bool) {
        let type = MediaType(value)
        #expect(type.isStream == isStream)
        #expect(type.isJSON == isJSON)
    }

    @Test func framingFollowsTheType() {
        #expect(MediaType("text/event-stream").streamFraming == .sse)
        #expect(MediaType("application/x-ndjson").streamFraming == .ndjson)
    }
}
