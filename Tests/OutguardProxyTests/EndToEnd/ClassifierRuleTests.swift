import Foundation
import NIOCore
import OutguardConfig
import OutguardEngine
import OutguardHooks
import Testing

@testable import OutguardProxy

/// Classifier rules end to end: the real proxy in front of a test upstream, asking a test
/// classifier (another `TestUpstream`, speaking the `outguard` protocol) that the tests
/// can slow down, break or stop. Every API shape, streamed and not. One test at a time:
/// the timeouts they rely on need a machine that is not busy with other cases.
@Suite(.serialized, .timeLimit(.minutes(2))) struct ClassifierRuleTests {
    static let rude = "You are an idiot."
    static let rudeAnswer = "Thanks for asking. \(rude) Have a nice day."
    static let civil = "Let's keep it civil."
    static let clean = "Thanks for asking. The report is attached.\nHave a nice day."

    @Test(arguments: Provider.allCases, [false, true])
    func aFlaggedSentenceIsBlockedAndNeverShown(provider: Provider, stream: Bool) async throws {
        try await ClassifierWorld.run(upstream: NoLeakTests.answering(provider, [Self.rudeAnswer])) { world in
            let response = try await world.send(provider.request(stream: stream))
            #expect(response.status == .ok)
            #expect(!response.text.contains("idiot"), "the flagged sentence leaked")
            #expect(!response.text.contains("nice day"), "text after the block was shown")
            #expect(response.action == "block")
            if stream {
                try ClientView.expectBlockedEnding(provider, response.body, message: Self.civil)
                // The sentence before the flagged one was judged clean and shown.
                #expect(try ClientView.streamedAnswers(provider, response.body).first?.hasPrefix("Thanks for asking.") == true)
            } else {
                #expect(try ClientView.answers(provider, response.body) == [Self.civil])
            }
        }
    }

    @Test(arguments: Provider.allCases, [false, true])
    func aCleanAnswerPassesByteForByte(provider: Provider, stream: Bool) async throws {
        try await ClassifierWorld.run(upstream: ScriptedResponse.answering(provider, [Self.clean])) { world in
            let response = try await world.send(provider.request(stream: stream))
            #expect(response.body == (stream ? Array(provider.frames([Self.clean]).joined()) : provider.body([Self.clean])))
            #expect(response.action == "pass")
            #expect(world.classifier.requests.count == 3, "one question per sentence")
        }
    }

    @Test(arguments: [Provider.openAIChat, .anthropicMessages, .openAIResponses], [false, true])
    func aRedactRuleReplacesTheSentenceOnly(provider: Provider, stream: Bool) async throws {
        var rule = ClassifierWorld.Rule()
        rule.action = "redact"
        try await ClassifierWorld.run(rule: rule, upstream: NoLeakTests.answering(provider, [Self.rudeAnswer])) { world in
            let response = try await world.send(provider.request(stream: stream))
            let texts =
                try stream
                ? ClientView.streamedAnswers(provider, response.body) : ClientView.answers(provider, response.body)
            #expect(texts == ["Thanks for asking. [RUDE] Have a nice day."])
            #expect(response.action == "redact")
        }
    }

    @Test(arguments: [Provider.openAIChat, .gemini])
    func asyncShowsTextAtOnceAndALateBlockEndsTheStream(provider: Provider) async throws {
        var rule = ClassifierWorld.Rule()
        rule.stream = "async"
        let slow = TimeAmount.milliseconds(300)
        try await ClassifierWorld.run(
            rule: rule, classifier: { TestClassifier.answer($0, after: slow) },
            upstream: NoLeakTests.answering(provider, [Self.rudeAnswer])
        ) { world in
            let response = try await world.send(provider.request(stream: true))
            try ClientView.expectBlockedEnding(provider, response.body, message: Self.civil)
            #expect(response.action == "block")
        }
    }

    @Test(arguments: [Provider.openAIChat, .anthropicMessages], [false, true])
    func theWholeTextIsJudgedOnceMoreWithScopeFull(provider: Provider, stream: Bool) async throws {
        // Each sentence alone is fine; the whole answer has both words.
        var rule = ClassifierWorld.Rule()
        rule.scope = "full"
        rule.flagged = ["alpha+omega"]
        let answer = "Start with alpha. End with omega."
        try await ClassifierWorld.run(rule: rule, upstream: NoLeakTests.answering(provider, [answer])) { world in
            let response = try await world.send(provider.request(stream: stream))
            #expect(response.action == "block")
            if stream {
                try ClientView.expectBlockedEnding(provider, response.body, message: Self.civil)
            } else {
                #expect(try ClientView.answers(provider, response.body) == [Self.civil])
            }
        }
    }

    @Test(arguments: ["allow", "block"], [false, true])
    func aStoppedClassifierFollowsOnError(onError: String, stream: Bool) async throws {
        var rule = ClassifierWorld.Rule()
        rule.onError = onError
        // Each request asks again (the cache would answer the second from the first).
        rule.cacheSize = 0
        let provider = Provider.openAIChat
        let folder = try ViolationLogTests.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await ClassifierWorld.run(rule: rule, log: folder, upstream: NoLeakTests.answering(provider, [Self.clean])) {
            world in
            #expect(try await world.send(provider.request(stream: stream)).action == "pass")
            await world.classifier.stop()
            let response = try await world.send(provider.request(stream: stream))
            let texts =
                try stream
                ? ClientView.streamedAnswers(provider, response.body) : ClientView.answers(provider, response.body)
            if onError == "allow" {
                #expect(texts == [Self.clean])
            } else {
                #expect(texts == [Policy.uncheckedMessage])
                #expect(response.action == "block")
            }
            #expect(world.hooks.clients["judge"]!.counters[.unreachable] > 0)
        }
        let errors = try ViolationLogTests.records(in: folder).filter { $0["event"] as? String == "engine_error" }
        #expect(errors.first?["rule"] as? String == "tox.insult")
        #expect((errors.first?["detail"] as? String)?.hasPrefix("hook `judge`: unreachable") == true)
    }

    @Test(arguments: [false, true])
    func aSlowClassifierTimesOutAndTheAnswerIsNotHeldUp(stream: Bool) async throws {
        var rule = ClassifierWorld.Rule()
        rule.onError = "block"
        rule.timeoutMs = 300
        let provider = Provider.anthropicMessages
        try await ClassifierWorld.run(
            rule: rule, classifier: { TestClassifier.answer($0, after: .seconds(5)) },
            upstream: NoLeakTests.answering(provider, [Self.clean])
        ) { world in
            let started = ContinuousClock.now
            let response = try await world.send(provider.request(stream: stream))
            #expect(ContinuousClock.now - started < .seconds(3), "the timeout (300 ms) did not bound the wait")
            #expect(!response.text.contains("attached"))
            #expect(response.action == "block")
            #expect(world.hooks.clients["judge"]!.counters[.timeout] > 0)
        }
    }

    @Test(arguments: [false, true])
    func aGarbageAnswerIsCountedAndOnErrorApplies(stream: Bool) async throws {
        let provider = Provider.gemini
        try await ClassifierWorld.run(
            classifier: { _ in .json(Array("<html>oops</html>".utf8)) },
            upstream: NoLeakTests.answering(provider, [Self.rudeAnswer])
        ) { world in
            let response = try await world.send(provider.request(stream: stream))
            // on_error: allow — the answer passes unjudged.
            #expect(response.text.contains("idiot"))
            #expect(world.hooks.clients["judge"]!.counters[.badBody] > 0)
        }
    }

    @Test func findingsRecordTheScoresAndShadowRulesChangeNothing() async throws {
        var rule = ClassifierWorld.Rule()
        rule.mode = "shadow"
        let provider = Provider.openAIChat
        let folder = try ViolationLogTests.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await ClassifierWorld.run(rule: rule, log: folder, upstream: NoLeakTests.answering(provider, [Self.rudeAnswer])) {
            world in
            let response = try await world.send(provider.request(stream: true))
            #expect(try ClientView.streamedAnswers(provider, response.body) == [Self.rudeAnswer])
            #expect(response.action == "shadow")
        }
        let violations = try ViolationLogTests.records(in: folder).filter { $0["event"] as? String == "violation" }
        #expect(violations.count == 1)
        #expect(violations.first?["mode"] as? String == "shadow")
        #expect((violations.first?["scores"] as? [String: Double])?["insult"] == 0.99)
        // The span is the sentence, in characters of the answer.
        #expect(violations.first?["span"] as? [Int] == [19, 36])
        let match = violations.first?["match"] as? String
        #expect(match != nil && match?.contains("idiot") == false, "the log keeps the masked form")
    }
}

/// A classifier for the tests, in the `outguard` protocol: each category asked scores 0.99
/// when the text holds one of `flagged` (`a+b`: both words), else 0.01.
enum TestClassifier {
    static func answer(_ request: RecordedRequest, flagged: [String] = ["idiot"], after delay: TimeAmount = .zero)
        -> ScriptedResponse
    {
        let asked = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any]
        let text = (asked?["text"] as? String ?? "").lowercased()
        let categories = asked?["categories"] as? [String] ?? []
        let hit = flagged.contains { words in words.split(separator: "+").allSatisfy { text.contains($0) } }
        let scores = Dictionary(uniqueKeysWithValues: categories.map { ($0, hit ? 0.99 : 0.01) })
        let body = try! JSONSerialization.data(withJSONObject: ["scores": scores])
        var response = ScriptedResponse.json(Array(body))
        response.headDelay = delay
        return response
    }
}

/// One test's world: an LLM upstream, a classifier, and the real proxy with a rule file
/// holding one classifier rule, asking the classifier through the hook `judge`.
struct ClassifierWorld: Sendable {
    /// The classifier rule and its hook, as written in the rule file.
    struct Rule: Sendable {
        var action = "block"
        var stream = "hold"
        var scope = "segment"
        var mode = "enforce"
        var onError = "allow"
        var timeoutMs = 2_000
        var cacheSize = 100
        /// What the test classifier flags (see `TestClassifier`).
        var flagged = ["idiot"]
        var categories = ["insult"]

        func file(hookURL: String) -> String {
            """
            pack: tox
            rules:
              - id: tox.insult
                type: classifier
                hook: judge
                categories: [\(categories.joined(separator: ", "))]
                threshold: 0.8
                action: \(action)
                stream: \(stream)
                scope: \(scope)
                mode: \(mode)
                replacement: "[RUDE]"
                message: "\(ClassifierRuleTests.civil)"
            hooks:
              judge:
                url: \(hookURL)
                protocol: outguard
                timeout_ms: \(timeoutMs)
                on_error: \(onError)
                cache_size: \(cacheSize)
            """
        }
    }

    let e2e: E2E
    /// The test classifier; nil when the world asks a classifier running elsewhere.
    let classifierService: TestUpstream?
    let hooks: Hooks

    var classifier: TestUpstream { classifierService! }

    func send(_ request: TestRequest) async throws -> TestResponse { try await e2e.send(request) }

    @discardableResult
    /// - Parameter running: the URL of a classifier running elsewhere, asked instead of a
    ///   test classifier answering as `classifier` says.
    static func run<T: Sendable>(
        rule: Rule = Rule(), log: URL? = nil, running: String? = nil,
        classifier: (@Sendable (RecordedRequest) -> ScriptedResponse)? = nil,
        upstream responder: @escaping @Sendable (RecordedRequest) -> ScriptedResponse,
        _ body: (ClassifierWorld) async throws -> T
    ) async throws -> T {
        let flagged = rule.flagged
        let service =
            running == nil
            ? try await TestUpstream.start(classifier ?? { TestClassifier.answer($0, flagged: flagged) }) : nil
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("og-tox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let hookURL = running ?? "http://127.0.0.1:\(service!.port)/v1/classify"
        try rule.file(hookURL: hookURL).write(
            to: folder.appendingPathComponent("tox.yaml"), atomically: true, encoding: .utf8)
        let ruleSet = RuleSetLoader.load(paths: [folder.path])
        try #require(!ruleSet.hasErrors, "\(ruleSet.diagnostics)")
        let hooks = try #require(try HookSupply(environment: [:], logger: ProxyUnderTest.quiet).hooks(for: ruleSet.hooks))
        let result: Result<T, any Error>
        do {
            result = .success(
                try await E2E.run(
                    configure: { config in
                        config.rules = [folder.path]
                        config.policies = [ServerConfig.defaultPolicyName: PolicyConfig()]
                        if let log { ViolationLogTests.logging(to: log)(&config) }
                    },
                    policies: { config in config.makePolicies(from: ruleSet).policies }, hooks: hooks,
                    upstream: responder
                ) { e2e in
                    try await body(ClassifierWorld(e2e: e2e, classifierService: service, hooks: hooks))
                })
        } catch {
            result = .failure(error)
        }
        // Stopping twice (a test stopped it) is harmless.
        await service?.stop()
        return try result.get()
    }
}
