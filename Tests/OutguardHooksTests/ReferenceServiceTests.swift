import Foundation
import NIOPosix
import OutguardConfig
import OutguardHooks
import Testing

/// The client against the real reference service of deploy/classifier, which
/// deploy/classifier/hook-e2e.sh starts (a normal, a slow and a garbage-answering
/// instance) before it runs these tests with their base URLs in the environment. Without
/// that script they do not run; the script fails if they did not.
@Suite(.enabled(if: ReferenceService.url != nil, "needs deploy/classifier/hook-e2e.sh"))
struct ReferenceServiceTests {
    private let loops = MultiThreadedEventLoopGroup.singleton

    private func hook(
        _ base: String?, path: String, protocol: HookProtocol, timeoutMs: Int = 2000, maxConcurrency: Int = 16
    ) throws -> HookClient {
        let base = try #require(base)
        return try HookClient(
            HookDefinition(
                name: "reference", url: base + path, protocol: `protocol`, timeoutMs: timeoutMs,
                maxConcurrency: maxConcurrency,
                location: SourceLocation(file: "e2e.yaml", line: 1, column: 1)),
            environment: [:])
    }

    private static let profane = "You are a fucking idiot."
    private static let clean = "Thanks, the report is attached."

    @Test func outguardProtocolScoresProfaneHighAndCleanLow() async throws {
        let client = try hook(ReferenceService.url, path: "/v1/classify", protocol: .outguard)
        let categories = ["profanity", "harassment"]
        let profane = try await client.scores(
            for: Self.profane, rule: "tox.insult", categories: categories, on: loops.next()
        ).get().get()
        let clean = try await client.scores(
            for: Self.clean, rule: "tox.insult", categories: categories, on: loops.next()
        ).get().get()
        #expect(profane.flagged(categories, threshold: 0.8).keys.sorted() == ["harassment", "profanity"])
        #expect(clean.flagged(categories, threshold: 0.2).isEmpty)
        #expect(Set(profane.scores.keys) == Set(categories), "the outguard protocol answers the categories asked")
    }

    @Test func openAIModerationScoresProfaneHighAndCleanLow() async throws {
        let client = try hook(ReferenceService.url, path: "/v1/moderations", protocol: .openaiModeration)
        let profane = try await client.scores(
            for: Self.profane, rule: nil, categories: ["harassment", "hate"], on: loops.next()
        ).get().get()
        let clean = try await client.scores(for: Self.clean, rule: nil, categories: ["harassment"], on: loops.next())
            .get().get()
        #expect(profane.flagged(["harassment", "hate"], threshold: 0.8).count == 2)
        #expect(profane.scores["violence"] == 0.0)
        #expect(clean.flagged(["harassment"], threshold: 0.2).isEmpty)
    }

    @Test func anUnknownCategoryIsAnHTTPError() async throws {
        let client = try hook(ReferenceService.url, path: "/v1/classify", protocol: .outguard)
        let result = try await client.scores(for: "hi", rule: nil, categories: ["violence"], on: loops.next()).get()
        #expect(result == .failure(.httpStatus(400)))
    }

    /// 100 calls at once: 25 at the service, the rest in the queue (4 × 25), none refused.
    @Test func manyConcurrentCallsAllAnswer() async throws {
        let client = try hook(
            ReferenceService.url, path: "/v1/classify", protocol: .outguard, timeoutMs: 10_000, maxConcurrency: 25)
        let futures = (0..<100).map { index in
            client.scores(for: "text number \(index)", rule: nil, categories: ["profanity"], on: loops.next())
        }
        var outcomes: [HookOutcome] = []
        for future in futures { outcomes.append(try await future.get().outcome) }
        #expect(outcomes.allSatisfy { $0 == .ok })
        #expect(client.counters[.ok] == 100)
    }

    @Test func aSlowServiceTimesOut() async throws {
        let client = try hook(ReferenceService.slowURL, path: "/v1/classify", protocol: .outguard, timeoutMs: 200)
        let (result, elapsed) = try await timedCall(client, Self.profane, categories: ["profanity"], on: loops.next())
        #expect(result == .failure(.timeout))
        #expect(elapsed < .seconds(1))
    }

    @Test(arguments: [HookProtocol.outguard, .openaiModeration])
    func garbageIsABadBody(protocol: HookProtocol) async throws {
        let path = `protocol` == .outguard ? "/v1/classify" : "/v1/moderations"
        let client = try hook(ReferenceService.garbageURL, path: path, protocol: `protocol`)
        let result = try await client.scores(for: Self.clean, rule: nil, categories: ["harassment"], on: loops.next())
            .get()
        #expect(result.outcome == .badBody)
    }
}

/// The base URLs hook-e2e.sh exports.
enum ReferenceService {
    static let url = ProcessInfo.processInfo.environment["OUTGUARD_CLASSIFIER_URL"]
    static let slowURL = ProcessInfo.processInfo.environment["OUTGUARD_CLASSIFIER_SLOW_URL"]
    static let garbageURL = ProcessInfo.processInfo.environment["OUTGUARD_CLASSIFIER_GARBAGE_URL"]
}
