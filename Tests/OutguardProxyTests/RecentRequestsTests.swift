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

    /// Only the top-level `model` counts, wherever it stands; the messages before it are
    /// skipped, brackets and quotes inside their strings included.
    @Test(arguments: [
        (#"{"messages":[{"role":"user","content":"a \"model\": [x] {y}","model":"inner"}],"model":"gpt-4o"}"#, "gpt-4o"),
        (#"{ "stream" : true , "n": -1.5e3, "x": null, "\u006dodel" : "esc\"aped" }"#, "esc\"aped"),
        (#"{"messages":[],"temperature":0.2}"#, nil),
        (#"{"model":7}"#, nil),
        (#"[{"model":"m"}]"#, nil),
        (#"{"messages":[{"model":"m"}"#, nil),
        (#"{"a":{"model":"nested"},"model":"top"}"#, "top"),
    ] as [(String, String?)])
    func modelIsTheTopLevelMemberOnly(body: String, model: String?) {
        #expect(RequestedModel.name(path: "/v1/chat/completions", body: ByteBuffer(string: body)) == model)
    }
}
