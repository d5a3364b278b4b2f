import Foundation
import OutguardEngine
import Testing

@testable import OutguardProxy

/// The daemon in front of a test upstream with a classifier rule asking the real reference
/// service of deploy/classifier (alt-profanity-check's model), which
/// deploy/classifier/hook-e2e.sh starts before it runs these tests: a normal, a slow and
/// a garbage-answering instance, and one that a test stops. Without that script they do
/// not run; the script fails if they did not.
@Suite(.serialized, .enabled(if: ReferenceClassifier.url != nil, "needs deploy/classifier/hook-e2e.sh"))
struct ReferenceClassifierTests {
    static let profane = "Thanks for asking. You are a fucking idiot. Have a nice day."
    static let clean = "Thanks for asking. The quarterly report is attached. Have a nice day."

    /// A rule on the reference service's profanity score.
    static func rule(onError: String = "allow", timeoutMs: Int = 2_000) -> ClassifierWorld.Rule {
        var rule = ClassifierWorld.Rule()
        rule.categories = ["profanity"]
        rule.onError = onError
        rule.timeoutMs = timeoutMs
        rule.cacheSize = 0
        return rule
    }

    static func texts(_ response: TestResponse, _ provider: Provider, stream: Bool) throws -> [String] {
        try stream ? ClientView.streamedAnswers(provider, response.body) : ClientView.answers(provider, response.body)
    }

    @Test(arguments: [Provider.openAIChat, .anthropicMessages, .gemini], [false, true])
    func aProfaneAnswerIsBlockedAndACleanOnePasses(provider: Provider, stream: Bool) async throws {
        let url = try #require(ReferenceClassifier.url)
        for (answer, blocked) in [(Self.profane, true), (Self.clean, false)] {
            try await ClassifierWorld.run(
                rule: Self.rule(), running: url + "/v1/classify", upstream: NoLeakTests.answering(provider, [answer])
            ) { world in
                let response = try await world.send(provider.request(stream: stream))
                if blocked {
                    #expect(!response.text.contains("fucking"), "the profane sentence leaked")
                    #expect(response.action == "block")
                    if stream {
                        try ClientView.expectBlockedEnding(provider, response.body, message: ClassifierRuleTests.civil)
                    } else {
                        #expect(try Self.texts(response, provider, stream: false) == [ClassifierRuleTests.civil])
                    }
                } else {
                    #expect(try Self.texts(response, provider, stream: stream) == [answer])
                    #expect(response.action == "pass")
                }
                // One call per sentence; a stream stops asking at a block.
                #expect(world.hooks.clients["judge"]!.counters[.ok] >= (blocked && stream ? 2 : 3))
            }
        }
    }

    @Test func aClassifierStoppedMidTestFollowsOnError() async throws {
        let url = try #require(ReferenceClassifier.stoppableURL)
        let pid = try #require(ReferenceClassifier.stoppablePID)
        let provider = Provider.openAIChat
        try await ClassifierWorld.run(
            rule: Self.rule(onError: "allow"), running: url + "/v1/classify",
            upstream: NoLeakTests.answering(provider, [Self.clean])
        ) { open in
            try await ClassifierWorld.run(
                rule: Self.rule(onError: "block"), running: url + "/v1/classify",
                upstream: NoLeakTests.answering(provider, [Self.clean])
            ) { closed in
                #expect(try await open.send(provider.request(stream: true)).action == "pass")
                #expect(try await closed.send(provider.request(stream: true)).action == "pass")
                kill(pid, SIGTERM)
                let gone = await Bounded.eventually(within: .seconds(10)) { !ReferenceClassifier.answers(url) }
                try #require(gone, "the stoppable classifier did not stop")
                for stream in [false, true] {
                    let allowed = try await open.send(provider.request(stream: stream))
                    #expect(try Self.texts(allowed, provider, stream: stream) == [Self.clean])
                    let refused = try await closed.send(provider.request(stream: stream))
                    #expect(try Self.texts(refused, provider, stream: stream) == [Policy.uncheckedMessage])
                    #expect(refused.action == "block")
                }
                #expect(open.hooks.clients["judge"]!.counters[.unreachable] > 0)
            }
        }
    }

    @Test func aSlowClassifierTimesOut() async throws {
        let url = try #require(ReferenceClassifier.slowURL)
        let provider = Provider.openAIChat
        try await ClassifierWorld.run(
            rule: Self.rule(onError: "block", timeoutMs: 300), running: url + "/v1/classify",
            upstream: NoLeakTests.answering(provider, [Self.clean])
        ) { world in
            let started = ContinuousClock.now
            let response = try await world.send(provider.request(stream: true))
            #expect(ContinuousClock.now - started < .seconds(2), "the 300 ms timeout did not bound the wait")
            #expect(response.action == "block")
            #expect(world.hooks.clients["judge"]!.counters[.timeout] > 0)
        }
    }

    @Test func aGarbageAnswerIsCountedAndOnErrorApplies() async throws {
        let url = try #require(ReferenceClassifier.garbageURL)
        let provider = Provider.anthropicMessages
        try await ClassifierWorld.run(
            rule: Self.rule(onError: "block"), running: url + "/v1/classify",
            upstream: NoLeakTests.answering(provider, [Self.clean])
        ) { world in
            let response = try await world.send(provider.request(stream: false))
            #expect(try Self.texts(response, provider, stream: false) == [Policy.uncheckedMessage])
            #expect(world.hooks.clients["judge"]!.counters[.badBody] > 0)
        }
    }
}

/// Where hook-e2e.sh started the reference service's instances.
enum ReferenceClassifier {
    static let environment = ProcessInfo.processInfo.environment
    static let url = environment["OUTGUARD_CLASSIFIER_URL"]
    static let slowURL = environment["OUTGUARD_CLASSIFIER_SLOW_URL"]
    static let garbageURL = environment["OUTGUARD_CLASSIFIER_GARBAGE_URL"]
    static let stoppableURL = environment["OUTGUARD_CLASSIFIER_STOPPABLE_URL"]
    static let stoppablePID = environment["OUTGUARD_CLASSIFIER_STOPPABLE_PID"].flatMap { pid_t($0) }

    /// Whether something accepts connections at `url`'s port.
    static func answers(_ url: String) -> Bool {
        guard let port = URL(string: url)?.port else { return false }
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
