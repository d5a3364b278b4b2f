import NIOHTTP1
import Testing

@testable import OutguardProxy

@Suite struct HeaderRulesTests {
    @Test func hopByHopHeadersAndTheOnesConnectionNamesStay() {
        let headers = HTTPHeaders([
            ("Content-Type", "application/json"), ("CONNECTION", "keep-alive, X-Secret-Hop ,Upgrade"),
            ("x-secret-hop", "1"), ("Transfer-Encoding", "chunked"), ("Keep-Alive", "timeout=5"),
            ("Outguard-Action", "pass"), ("Authorization", "Bearer k"), ("X-Kept", "2"),
        ])
        let dropped = HeaderRules.hopByHop.adding(HeaderRules.ownResponseHeaders)
        let forwarded = HeaderRules.forwardable(headers, dropping: dropped)
        #expect(forwarded.map(\.name) == ["Content-Type", "Authorization", "X-Kept"])
        // The usual single token names no header, so nothing else is dropped.
        let plain = HTTPHeaders([("Connection", "Keep-Alive"), ("X-Kept", "1"), ("keep-alive", "timeout=5")])
        #expect(HeaderRules.forwardable(plain).map(\.name) == ["X-Kept"])
    }

    @Test func headerNamesAreFoundInAnyASCIICaseOnly() {
        let names = HeaderNames(["content-length", "te", "{x"]).adding(["X-Own"])
        for name in ["Content-Length", "CONTENT-LENGTH", "content-length", "TE", "x-own", "X-OWN", "{x"] {
            #expect(names.contains(name), "\(name)")
        }
        // Other lengths, another byte of the same length, and a case that is not ASCII's.
        for name in ["content-lengths", "t", "", "content_length", "[x", "tÉ", "x-ów"] {
            #expect(!names.contains(name), "\(name)")
        }
    }

    @Test func thePathHasNoQueryAndNoHost() {
        #expect(HeaderRules.path(of: "/v1/chat/completions?x=1&y=?") == "/v1/chat/completions")
        #expect(HeaderRules.path(of: "http://elsewhere:9/v1/messages?beta=true") == "/v1/messages")
        #expect(
            HeaderRules.path(of: "/v1beta/models/gemini:streamGenerateContent")
                == "/v1beta/models/gemini:streamGenerateContent")
        #expect(HeaderRules.path(of: "/日本?q") == "/日本")
    }

    @Test func requestIDsAreRandomHexAndAClientsOwnIsKept() throws {
        let pattern = try Regex("^og-[0-9a-f]{16}$")
        // More than one batch of random values.
        let ids = (0..<1_500).map { _ in HeaderRules.requestID(from: HTTPHeaders()) }
        #expect(ids.allSatisfy { $0.wholeMatch(of: pattern) != nil }, "\(ids.prefix(3))")
        #expect(Set(ids).count == ids.count)
        #expect(Set(ids.map { $0.dropFirst(3).first! }).count > 8, "the first digit is random too")
        #expect(HeaderRules.requestID(from: HTTPHeaders([("X-Request-Id", "abc-1")])) == "abc-1")
        #expect(HeaderRules.requestID(from: HTTPHeaders([("X-Request-Id", "has space")])).hasPrefix("og-"))
    }
}
