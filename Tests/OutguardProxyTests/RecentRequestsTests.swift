import NIOCore
import Testing

@testable import OutguardProxy

@Suite struct RecentRequestsTests {
    @Test func remembersTheLastIdsAndForgetsTheOldest() {
        let recent = RecentRequests(capacity: 3)
        for id in ["a", "b", "c", "b", "d"] { recent.remember(id) }
        // "b" came twice but takes one place: "a" is the one forgotten for "d".
        #expect(!recent.contains("a"))
        #expect(["b", "c", "d"].allSatisfy(recent.contains))
        recent.remember("e")
        #expect(!recent.contains("b") && recent.contains("e"))
    }

    @Test func modelComesFromTheBodyOrGeminisPath() {
        let body = ByteBuffer(string: #"{"model":"gpt-4o-mini","messages":[]}"#)
        #expect(RequestedModel.name(path: "/v1/chat/completions", body: body) == "gpt-4o-mini")
        #expect(
            RequestedModel.name(path: "/v1beta/models/gemini-2.0-flash:streamGenerateContent", body: ByteBuffer())
                == "gemini-2.0-flash")
        #expect(RequestedModel.name(path: "/api/chat", body: ByteBuffer(string: "not json")) == nil)
    }
}
