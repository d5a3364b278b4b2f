import Foundation
import MetricsTestKit
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import OutguardConfig
import OutguardHooks
import OutguardTestSupport
import Testing

/// The client against a scripted server on 127.0.0.1: both protocols, failures as values,
/// the timeout, the concurrency bound, the cache and the breaker.

private let loops = MultiThreadedEventLoopGroup(numberOfThreads: 1)

private func hook(
    _ url: String, protocol: HookProtocol = .outguard, timeoutMs: Int = 1000, maxConcurrency: Int = 16,
    cacheSize: Int = 100, headers: [HookHeader] = []
) -> HookDefinition {
    HookDefinition(
        name: "judge", url: url, protocol: `protocol`, timeoutMs: timeoutMs, maxConcurrency: maxConcurrency,
        cacheSize: cacheSize, headers: headers, location: SourceLocation(file: "hooks.yaml", line: 3, column: 3))
}

private func client(
    _ definition: HookDefinition, environment: [String: String] = [:], tuning: HookClient.Tuning = .init()
) throws(HookSetupError) -> HookClient {
    try HookClient(definition, environment: environment, tuning: tuning)
}

private func ask(
    _ client: HookClient, _ text: String, rule: String? = "tox.insult", categories: [String] = ["harassment"]
) async throws -> HookResult {
    try await client.scores(for: text, rule: rule, categories: categories, on: loops.next()).get()
}

private func json(_ text: String) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

private let goodOutguard = ScriptedServer.Reply.respond(body: #"{"scores":{"harassment":0.91,"hate":0.05}}"#)

@Test func outguardProtocolSendsTextRuleAndCategoriesAndReadsScores() async throws {
    let server = try await ScriptedServer { _ in goodOutguard }
    defer { Task { try await server.shutdown() } }
    let result = try await ask(client(hook(server.url())), "you \"idiot\"\n", categories: ["harassment", "hate"])
    let scores = try result.get()
    #expect(scores.scores == ["harassment": 0.91, "hate": 0.05])
    #expect(scores.cached == false)
    #expect(scores.flagged(["harassment", "hate"], threshold: 0.8) == ["harassment": 0.91])
    let request = try #require(server.requests.first)
    #expect(request.head.method == .POST)
    #expect(request.head.uri == "/v1/classify")
    #expect(request.head.headers["Content-Type"] == ["application/json"])
    #expect(request.head.headers["Host"] == ["127.0.0.1:\(server.port)"])
    let body = try json(request.body)
    #expect(body["text"] as? String == "you \"idiot\"\n")
    #expect(body["rule"] as? String == "tox.insult")
    #expect(body["categories"] as? [String] == ["harassment", "hate"])
}

@Test func openAIModerationSendsInputAndReadsTheFirstResultsScores() async throws {
    let server = try await ScriptedServer { _ in
        .respond(
            body:
                #"{"id":"modr-1","model":"m","results":[{"flagged":true,"categories":{"hate":true},"category_scores":{"hate":0.7,"violence":0.0}}]}"#
        )
    }
    defer { Task { try await server.shutdown() } }
    let moderation = try client(hook(server.url("/v1/moderations?x=1"), protocol: .openaiModeration))
    let scores = try await ask(moderation, "some text", categories: ["hate"]).get()
    #expect(scores.scores == ["hate": 0.7, "violence": 0.0])
    let request = try #require(server.requests.first)
    #expect(request.head.uri == "/v1/moderations?x=1")
    #expect(try json(request.body).keys.sorted() == ["input"])
    #expect(try json(request.body)["input"] as? String == "some text")
}

@Test(arguments: [
    (#"<html>this is not JSON {"scores": "#, HookProtocol.outguard),
    (#"{"status": "garbage", "scores": [1, 2], "results": "none"}"#, .outguard),
    (#"{"status": "garbage", "scores": [1, 2], "results": "none"}"#, .openaiModeration),
    (#"{"scores":{"harassment":1.5}}"#, .outguard),
    (#"{"scores":{"harassment":-0.1}}"#, .outguard),
    (#"{"scores":{"harassment":"0.5"}}"#, .outguard),
    (#"{"scores":{"harassment":null}}"#, .outguard),
    (#"{"scores":{"hate":0.5}}"#, .outguard),
    (#"{"results":[]}"#, .openaiModeration),
    (#"{"results":[{"category_scores":{"harassment":true}}]}"#, .openaiModeration),
    ("", .outguard),
])
func aBadBodyIsATypedFailure(body: String, protocol: HookProtocol) async throws {
    let server = try await ScriptedServer { _ in .respond(body: body) }
    defer { Task { try await server.shutdown() } }
    let result = try await ask(client(hook(server.url(), protocol: `protocol`)), "text")
    guard case .failure(.badBody) = result else {
        Issue.record("expected a bad body, got \(result)")
        return
    }
    #expect(result.outcome == .badBody)
}

@Test func anErrorStatusIsAnHTTPFailure() async throws {
    let server = try await ScriptedServer { _ in .respond(status: 500, body: #"{"error":"boom"}"#) }
    defer { Task { try await server.shutdown() } }
    let judge = try client(hook(server.url()))
    #expect(try await ask(judge, "text") == .failure(.httpStatus(500)))
    #expect(judge.counters[.httpError] == 1)
}

@Test func aSlowAnswerTimesOutWithinTimeoutMs() async throws {
    let server = try await ScriptedServer { _ in .respond(body: #"{"scores":{"harassment":0.1}}"#, delay: .seconds(3)) }
    defer { Task { try await server.shutdown() } }
    let (result, elapsed) = try await timedCall(client(hook(server.url(), timeoutMs: 150)), "text", on: loops.next())
    #expect(result == .failure(.timeout))
    #expect(elapsed >= .milliseconds(140))
    #expect(elapsed < .seconds(1))
}

@Test func aClosedConnectionAndAClosedPortAreUnreachable() async throws {
    let server = try await ScriptedServer { _ in .close }
    defer { Task { try await server.shutdown() } }
    guard case .failure(.unreachable) = try await ask(client(hook(server.url())), "text") else {
        Issue.record("a connection closed before the answer is unreachable")
        return
    }
    // A port nothing listens on, held so that no other test's server gets it meanwhile: a
    // server's port once it was shut down was once given to another test's server, whose
    // answer was a bad body.
    let refusing = try RefusingPort()
    let result = try await ask(client(hook("http://127.0.0.1:\(refusing.port)/v1/classify", timeoutMs: 2000)), "text")
    #expect(result.outcome == .unreachable)
    withExtendedLifetime(refusing) {}
}

@Test func keptAliveConnectionsAreReused() async throws {
    let server = try await ScriptedServer { _ in goodOutguard }
    defer { Task { try await server.shutdown() } }
    let judge = try client(hook(server.url(), cacheSize: 0))
    for index in 0..<5 { _ = try await ask(judge, "text \(index)").get() }
    #expect(server.stats.withLockedValue(\.connections) == 1)
    #expect(server.requests.count == 5)
}

@Test func aKeptAliveConnectionTheServiceClosedIsRetriedOnce() async throws {
    // The second request's connection is closed by the server; the client retries on a new one.
    let count = NIOLockedCounter()
    let server = try await ScriptedServer { _ in count.next() == 2 ? .close : goodOutguard }
    defer { Task { try await server.shutdown() } }
    let judge = try client(hook(server.url(), cacheSize: 0))
    _ = try await ask(judge, "one").get()
    _ = try await ask(judge, "two").get()
    #expect(server.requests.count == 3)
}

@Test func atMostMaxConcurrencyCallsAreInFlightAndTheRestWait() async throws {
    let server = try await ScriptedServer { _ in
        .respond(body: #"{"scores":{"harassment":0.2}}"#, delay: .milliseconds(80))
    }
    defer { Task { try await server.shutdown() } }
    let judge = try client(hook(server.url(), timeoutMs: 5000, maxConcurrency: 2))
    let loop = loops.next()
    let futures = (0..<6).map { judge.scores(for: "text \($0)", rule: nil, categories: ["harassment"], on: loop) }
    for future in futures { _ = try await future.get().get() }
    #expect(server.stats.withLockedValue(\.peakBusy) == 2)
    #expect(server.requests.count == 6)
    #expect(judge.counters[.ok] == 6)
    #expect(judge.counters.inFlight == 0)
}

@Test func aFullQueueFailsAtOnceAsOverloaded() async throws {
    let server = try await ScriptedServer { _ in
        .respond(body: #"{"scores":{"harassment":0.2}}"#, delay: .milliseconds(200))
    }
    defer { Task { try await server.shutdown() } }
    var tuning = HookClient.Tuning()
    tuning.queuePerSlot = 1
    let judge = try client(hook(server.url(), timeoutMs: 5000, maxConcurrency: 1), tuning: tuning)
    let loop = loops.next()
    // One at the service, one waiting, the third refused.
    let futures = (0..<3).map { judge.scores(for: "text \($0)", rule: nil, categories: ["harassment"], on: loop) }
    let results = try await futures.asyncMap { try await $0.get() }
    #expect(results.map(\.outcome) == [.ok, .ok, .overloaded])
    #expect(server.requests.count == 2)
}

@Test func aQueuedCallTimesOutAndItsSlotIsNotLost() async throws {
    let server = try await ScriptedServer { _ in
        .respond(body: #"{"scores":{"harassment":0.2}}"#, delay: .milliseconds(300))
    }
    defer { Task { try await server.shutdown() } }
    let judge = try client(hook(server.url(), timeoutMs: 150, maxConcurrency: 1))
    let loop = loops.next()
    let futures = (0..<2).map { judge.scores(for: "text \($0)", rule: nil, categories: ["harassment"], on: loop) }
    let results = try await futures.asyncMap { try await $0.get() }
    #expect(results.map(\.outcome) == [.timeout, .timeout])
    // Both slots are free again: a fast answer now goes through.
    server.setScript { _ in goodOutguard }
    try await Task.sleep(for: .milliseconds(200))
    #expect(try await ask(judge, "later").outcome == .ok)
    #expect(judge.counters.inFlight == 0)
    #expect(judge.counters.queued == 0)
}

@Test func aRepeatedTextIsAnsweredFromTheCache() async throws {
    let server = try await ScriptedServer { _ in goodOutguard }
    defer { Task { try await server.shutdown() } }
    let judge = try client(hook(server.url()))
    let first = try await ask(judge, "same text").get()
    let second = try await ask(judge, "same text").get()
    #expect(first.cached == false)
    #expect(second.cached == true)
    #expect(second.scores == first.scores)
    #expect(server.requests.count == 1)
    // For `outguard`, the categories are part of what was asked.
    _ = try await ask(judge, "same text", categories: ["hate"]).get()
    #expect(server.requests.count == 2)
    #expect(judge.counters[.cacheHit] == 1)
    #expect(judge.counters[.ok] == 2)

    let uncached = try client(hook(server.url(), cacheSize: 0))
    _ = try await ask(uncached, "same text").get()
    _ = try await ask(uncached, "same text").get()
    #expect(server.requests.count == 4)
}

@Test func theBreakerOpensAfterRepeatedFailuresAndATrialClosesIt() async throws {
    let server = try await ScriptedServer { _ in .respond(status: 503, body: "{}") }
    defer { Task { try await server.shutdown() } }
    var tuning = HookClient.Tuning()
    tuning.failureThreshold = 3
    tuning.coolDown = .seconds(2)
    let judge = try client(hook(server.url()), tuning: tuning)
    for index in 0..<3 { #expect(try await ask(judge, "text \(index)") == .failure(.httpStatus(503))) }
    let opened = ContinuousClock.now
    #expect(judge.counters.breakerOpen)
    // Open: refused at once, without a request. A machine that stalled this task past the
    // cool-down (see `aFailedTrialOpensTheBreakerAgain`) made "text 3" the trial: the
    // rest of the test would then count one failure and one opening more.
    let refused = try await ask(judge, "text 3")
    guard ContinuousClock.now - opened < .nanoseconds(tuning.coolDown.nanoseconds) else { return }
    #expect(refused == .failure(.breakerOpen))
    #expect(server.requests.count == 3)

    // After the cool-down, one trial decides: a good answer closes the breaker.
    server.setScript { _ in goodOutguard }
    try await Task.sleep(for: .milliseconds(2_100))
    #expect(try await ask(judge, "text 4").outcome == .ok)
    #expect(!judge.counters.breakerOpen)
    #expect(try await ask(judge, "text 5").outcome == .ok)
    #expect(judge.counters.breakerOpenings == 1)
    #expect(judge.counters[.breakerOpen] == 1)
    #expect(judge.counters.failures == 4)
}

@Test func aFailedTrialOpensTheBreakerAgain() async throws {
    let server = try await ScriptedServer { _ in .respond(status: 500, body: "{}") }
    defer { Task { try await server.shutdown() } }
    var tuning = HookClient.Tuning()
    tuning.failureThreshold = 1
    tuning.coolDown = .seconds(2)
    let judge = try client(hook(server.url()), tuning: tuning)
    #expect(try await ask(judge, "a") == .failure(.httpStatus(500)))
    try await Task.sleep(for: .milliseconds(2_100))
    #expect(try await ask(judge, "b") == .failure(.httpStatus(500)))
    let reopened = ContinuousClock.now
    #expect(judge.counters.breakerOpen)
    #expect(judge.counters.breakerOpenings == 2)
    let answer = try await ask(judge, "c")
    // With the whole suite running, this task once waited past the cool-down between the
    // two calls, and "c" was rightly the next trial: the refusal is checked when it was not.
    if ContinuousClock.now - reopened < .nanoseconds(tuning.coolDown.nanoseconds) {
        #expect(answer == .failure(.breakerOpen))
        #expect(server.requests.count == 2)
    }
}

@Test func headersReadTheirSecretsFromTheEnvironment() async throws {
    let server = try await ScriptedServer { _ in goodOutguard }
    defer { Task { try await server.shutdown() } }
    let headers = [
        HookHeader(
            name: "Authorization", parts: [.text("Bearer "), .variable("JUDGE_KEY")],
            location: SourceLocation(file: "h.yaml", line: 5, column: 7)),
        HookHeader(
            name: "X-Tenant", parts: [.text("acme")], location: SourceLocation(file: "h.yaml", line: 6, column: 7)),
    ]
    let judge = try client(hook(server.url(), headers: headers), environment: ["JUDGE_KEY": "sk-123"])
    _ = try await ask(judge, "text").get()
    let request = try #require(server.requests.first)
    #expect(request.head.headers["Authorization"] == ["Bearer sk-123"])
    #expect(request.head.headers["X-Tenant"] == ["acme"])

    #expect(throws: HookSetupError.self) { try client(hook(server.url(), headers: headers), environment: [:]) }
    do {
        _ = try client(hook(server.url(), headers: headers), environment: [:])
    } catch {
        #expect(
            error.description
                == "h.yaml:5:7: hook `judge`: header `Authorization` reads the environment variable `JUDGE_KEY`, which is not set"
        )
    }
    #expect(throws: HookSetupError.self) {
        try client(hook(server.url(), headers: headers), environment: ["JUDGE_KEY": "a\r\nX-Evil: 1"])
    }
}

@Test func aProbeReportsWhetherTheHookAnswers() async throws {
    let server = try await ScriptedServer { _ in .respond(body: #"{"scores":{"profanity":0.0}}"#) }
    defer { Task { try await server.shutdown() } }
    let hooks = try Hooks([hook(server.url())], environment: [:])
    let results = try await hooks.probe(on: loops.next()).get()
    #expect(results["judge"]?.outcome == .ok)
    #expect(hooks["judge"]?.counters.calls.isEmpty == true)
    let body = try json(try #require(server.requests.first).body)
    #expect(body["categories"] as? [String] == [])
}

@Test func healthFollowsWhatReachesTheService() async throws {
    let server = try await ScriptedServer { _ in goodOutguard }
    defer { Task { try await server.shutdown() } }
    var tuning = HookClient.Tuning()
    tuning.failureThreshold = 1
    tuning.coolDown = .seconds(60)
    let judge = try client(hook(server.url()), tuning: tuning)
    #expect(judge.health == .notTried)
    let start = Date()
    _ = try await ask(judge, "seen").get()
    guard case .reachable(let answeredAt) = judge.health else {
        Issue.record("an answer is reachable, not \(judge.health)")
        return
    }
    #expect(answeredAt >= start)

    server.setScript { _ in .respond(status: 503, body: "{}") }
    #expect(try await ask(judge, "new") == .failure(.httpStatus(503)))
    guard case .unreachable(let failedAt, let reason) = judge.health else {
        Issue.record("an error status is unreachable, not \(judge.health)")
        return
    }
    #expect(failedAt >= answeredAt)
    #expect(reason == "answered HTTP 503")
    // Neither the cache nor the open breaker's refusal reach the service: no news of it.
    #expect(try await ask(judge, "seen").outcome == .cacheHit)
    #expect(try await ask(judge, "other") == .failure(.breakerOpen))
    #expect(judge.health == .unreachable(at: failedAt, reason: reason))

    // A probe does reach it, breaker or not.
    server.setScript { _ in goodOutguard }
    _ = try await judge.probe(on: loops.next()).get()
    guard case .reachable(let probedAt) = judge.health else {
        Issue.record("a probe that gets an answer is reachable, not \(judge.health)")
        return
    }
    #expect(probedAt >= failedAt)
    #expect(judge.counters.breakerOpen)
}

@Test func aHookThatDoesNotAnswerItsProbeIsAWarningAtItsDeclaration() async throws {
    let gone = try await ScriptedServer { _ in goodOutguard }
    let url = gone.url()
    try await gone.shutdown()
    let hooks = try Hooks([hook(url)], environment: [:])
    let warnings = await hooks.probeWarnings()
    #expect(warnings.count == 1)
    let warning = try #require(warnings.first)
    #expect(warning.severity == .warning)
    #expect(warning.location == SourceLocation(file: "hooks.yaml", line: 3, column: 3))
    #expect(warning.message.hasPrefix("hook `judge` does not answer at \(url) (unreachable: "), "\(warning.message)")
    #expect(
        warning.message.hasSuffix("); classifier rules that use it will follow its on_error (allow) until it does"))
    #expect(warning.fix == "start the classifier service or correct the hook's `url`")
    guard case .unreachable = hooks["judge"]?.health else {
        Issue.record("the probe's failure is the hook's health")
        return
    }

    let server = try await ScriptedServer { _ in .respond(body: #"{"scores":{}}"#) }
    defer { Task { try await server.shutdown() } }
    let answering = try Hooks([hook(server.url())], environment: [:])
    #expect(await answering.probeWarnings().isEmpty)
}

/// A call timed from the caller's side to its answer on the event loop, so that a busy
/// test process, whose tasks may resume late, does not count.
func timedCall(
    _ client: HookClient, _ text: String, categories: [String] = ["harassment"], on loop: any EventLoop
) async throws -> (HookResult, Duration) {
    let started = ContinuousClock.now
    let answered = NIOLockedValueBox<ContinuousClock.Instant?>(nil)
    let future = client.scores(for: text, rule: nil, categories: categories, on: loop)
    future.whenComplete { _ in answered.withLockedValue { $0 = .now } }
    let result = try await future.get()
    let end = try #require(answered.withLockedValue { $0 })
    return (result, end - started)
}

private final class NIOLockedCounter: Sendable {
    private let value = NIOLockedValueBox(0)
    func next() -> Int {
        value.withLockedValue {
            $0 += 1; return $0
        }
    }
}

extension Array {
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}

@Test func callsAndTheBreakerAreExportedAsMetricsPerHook() async throws {
    let server = try await ScriptedServer { _ in .respond(status: 500, body: "{}") }
    defer { Task { try await server.shutdown() } }
    let metrics = TestMetrics()
    var tuning = HookClient.Tuning()
    tuning.failureThreshold = 2
    let hooks = try Hooks([hook(server.url())], environment: [:], metricsFactory: metrics, tuning: tuning)
    let judge = try #require(hooks["judge"])
    for text in ["a", "b", "c"] { _ = try await ask(judge, text) }
    let errors = try metrics.expectCounter(HookMetrics.Name.calls, [("hook", "judge"), ("outcome", "http_error")])
    let refused = try metrics.expectCounter(HookMetrics.Name.calls, [("hook", "judge"), ("outcome", "breaker_open")])
    let breaker = try metrics.expectGauge(HookMetrics.Name.breakerOpen, [("hook", "judge")])
    #expect(errors.totalValue == 2)
    #expect(refused.totalValue == 1)
    #expect(breaker.lastValue == 1)
}
