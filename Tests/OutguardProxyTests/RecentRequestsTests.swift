import NIOCore
import Testing

@testable import OutguardProxy

@Suite struct RecentRequestsTests {
    @Test func remembersTheLastResponsesAndForgetsTheOldest() {
        let recent = RecentRequests(capacity: 3)
        for id in ["a", "b", "c", "d"] { recent.remember(id) }
        #expect(!recent.contains("a"))
        #expect(["b", "c", "d"].allSatisfy(recent.contains))
        // The ring goes round: "e" replaces "b", then "f" replaces "c".
        recent.remember("e")
        #expect(!recent.contains("b") && ["c", "d", "e"].allSatisfy(recent.contains))
        recent.remember("f")
        #expect(!recent.contains("c") && ["d", "e", "f"].allSatisfy(recent.contains))
        // An id served twice is two responses: it stays until its latest one is forgotten
        // ("e" again replaces "d"; "g" replaces the first "e").
        for id in ["e", "g"] { recent.remember(id) }
        #expect(["e", "f", "g"].allSatisfy(recent.contains) && !recent.contains("d"))
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
