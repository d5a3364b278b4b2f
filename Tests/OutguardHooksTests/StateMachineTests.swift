import Foundation
import NIOCore
import OutguardConfig
import Testing

@testable import OutguardHooks

@Test func theCacheForgetsTheLeastRecentlyUsedFirst() {
    var cache = LRUCache<String, Int>(capacity: 3)
    cache.insert(1, for: "a")
    cache.insert(2, for: "b")
    cache.insert(3, for: "c")
    #expect(cache.value(for: "a") == 1)
    cache.insert(4, for: "d")
    #expect(cache.value(for: "b") == nil)
    #expect(cache.keysByRecency == ["d", "a", "c"])
    cache.insert(5, for: "c")
    #expect(cache.keysByRecency == ["c", "d", "a"])
    #expect(cache.value(for: "c") == 5)
    #expect(cache.count == 3)

    var none = LRUCache<String, Int>(capacity: 0)
    none.insert(1, for: "a")
    #expect(none.value(for: "a") == nil)
    var one = LRUCache<String, Int>(capacity: 1)
    one.insert(1, for: "a")
    one.insert(2, for: "b")
    #expect(one.keysByRecency == ["b"])
}

@Test func theCacheMatchesAPlainModelOverRandomOperations() {
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<50 {
        let capacity = Int.random(in: 1...6, using: &generator)
        var cache = LRUCache<Int, Int>(capacity: capacity)
        var model: [(key: Int, value: Int)] = []  // most recent first
        for step in 0..<200 {
            let key = Int.random(in: 0..<10, using: &generator)
            if Bool.random(using: &generator) {
                let found = cache.value(for: key)
                let index = model.firstIndex { $0.key == key }
                #expect(found == index.map { model[$0].value })
                if let index { model.insert(model.remove(at: index), at: 0) }
            } else {
                cache.insert(step, for: key)
                model.removeAll { $0.key == key }
                model.insert((key, step), at: 0)
                if model.count > capacity { model.removeLast() }
            }
            #expect(cache.keysByRecency == model.map(\.key))
        }
    }
}

@Test func theBreakerOpensAtTheThresholdAndOneTrialDecides() {
    var breaker = CircuitBreaker(failureThreshold: 2, coolDown: .seconds(5))
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
    #expect(breaker.permit(now: start) == .call)
    breaker.failed(now: start)
    #expect(!breaker.isOpen)
    breaker.succeeded()
    breaker.failed(now: start)
    #expect(!breaker.isOpen, "a success in between resets the count")
    breaker.failed(now: start)
    #expect(breaker.isOpen)
    #expect(breaker.permit(now: start + .seconds(4)) == .refuse)
    #expect(breaker.permit(now: start + .seconds(5)) == .trial)
    #expect(breaker.permit(now: start + .seconds(5)) == .refuse, "one trial at a time")
    breaker.failed(now: start + .seconds(6))
    #expect(breaker.state == .open(until: start + .seconds(11)))
    #expect(breaker.permit(now: start + .seconds(11)) == .trial)
    breaker.trialAbandoned(now: start + .seconds(11))
    #expect(breaker.permit(now: start + .seconds(11)) == .trial, "an abandoned trial is given to the next call")
    breaker.succeeded()
    #expect(breaker.permit(now: start + .seconds(11)) == .call)
    #expect(breaker.openings == 2)
}

@Test func theEndpointComesFromTheURL() throws {
    let plain = try #require(HookEndpoint(url: "http://127.0.0.1:9090/v1/moderations"))
    #expect(plain.host == "127.0.0.1")
    #expect(plain.port == 9090)
    #expect(!plain.useTLS)
    #expect(plain.target == "/v1/moderations")
    #expect(plain.hostHeader == "127.0.0.1:9090")
    #expect(HookConnectionPool.serverName(for: plain.host) == nil)
    let tls = try #require(HookEndpoint(url: "https://api.openai.com/v1/moderations?a=b"))
    #expect(tls.port == 443)
    #expect(tls.hostHeader == "api.openai.com")
    #expect(tls.target == "/v1/moderations?a=b")
    #expect(HookConnectionPool.serverName(for: tls.host) == "api.openai.com")
    let v6 = try #require(HookEndpoint(url: "http://[::1]:8000"))
    #expect(v6.host == "::1")
    #expect(v6.target == "/")
    #expect(v6.hostHeader == "[::1]:8000")
    #expect(HookConnectionPool.serverName(for: v6.host) == nil)
    #expect(HookConnectionPool.serverName(for: "fe80::a1") == nil, "an IPv6 address with letters is no name either")
    #expect(HookEndpoint(url: "ftp://example.com/") == nil)
}

@Test func theCodecWritesBothProtocolsAsJSON() throws {
    let outguard = HookCodec(protocol: .outguard).requestBody(
        text: "日本 \"q\"", rule: nil, categories: ["self-harm/intent"])
    let object = try #require(JSONSerialization.jsonObject(with: Data(outguard)) as? [String: Any])
    #expect(object["text"] as? String == "日本 \"q\"")
    #expect(object["categories"] as? [String] == ["self-harm/intent"])
    #expect(String(decoding: outguard, as: UTF8.self).contains("self-harm/intent"), "slashes stay readable")
    let moderation = HookCodec(protocol: .openaiModeration).requestBody(text: "x", rule: "r", categories: ["hate"])
    #expect(String(decoding: moderation, as: UTF8.self) == #"{"input":"x"}"#)
}

@Test func theCodecSaysWhatIsWrongWithABody() {
    let codec = HookCodec(protocol: .outguard)
    func failure(_ body: String, _ categories: [String] = ["hate"]) -> HookFailure? {
        if case .failure(let failure) = codec.scores(from: Array(body.utf8), categories: categories) {
            failure
        } else {
            nil
        }
    }
    #expect(failure("nope") == .badBody("not JSON"))
    #expect(failure("{}") == .badBody("no `scores`"))
    #expect(failure(#"{"scores":{"hate":2}}"#) == .badBody("the score of `hate` is 2.0, not in 0...1"))
    #expect(failure(#"{"scores":{"violence":0.2}}"#) == .badBody("no score for `hate`"))
    #expect(failure(#"{"scores":{"hate":"x"}}"#) == .badBody("`scores.hate` has the wrong type"))
    #expect(failure(#"{"scores":{"hate":0.2}}"#) == nil)
}
