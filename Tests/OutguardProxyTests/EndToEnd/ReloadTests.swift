import Foundation
import NIOCore
import NIOHTTP1
import OutguardConfig
import OutguardLog
import Synchronization
import Testing

@testable import OutguardProxy

/// Hot reload against the real proxy: a daemon set up from files on disk as `outguard
/// serve` sets it up, its rule file rewritten between versions that redact different
/// words, so every answer shows which policy filtered it.
@Suite(.timeLimit(.minutes(2))) struct ReloadTests {
    /// The answer every request gets: version 1 redacts `alpha`, version 2 `beta`.
    static let answer = ["alpha beta alpha beta alpha beta"]

    static func rules(version: Int) -> String {
        let word = version % 2 == 1 ? "alpha" : "beta"
        return """
            pack: words
            rules:
              - id: words.v\(version)
                type: lexicon
                terms: [\(word)]
                action: redact
                replacement: "[v\(version)]"
            """
    }

    /// What a client sees when version `version` filtered the answer.
    static func filtered(by version: Int) -> String {
        let word = version % 2 == 1 ? "alpha" : "beta"
        return answer[0].replacingOccurrences(of: word, with: "[v\(version)]")
    }

    /// A config folder (outguard.yaml, rules/words.yaml at version 1) and the daemon
    /// loaded from it in front of `upstreamPort`.
    struct Daemon: Sendable {
        let folder: URL
        let store: RuntimeStore
        let reloader: PolicyReloader

        var rulesFile: URL { folder.appendingPathComponent("rules/words.yaml") }

        init(upstreamPort: Int, extra: String = "") throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("og-reload-\(UUID().uuidString)")
            try FileManager.default.createDirectory(
                at: folder.appendingPathComponent("rules"), withIntermediateDirectories: true)
            let config = """
                listen: 127.0.0.1:0
                upstream: http://127.0.0.1:\(upstreamPort)
                rules: [rules/]
                workers: 1
                log: {path: violations.jsonl, flush_ms: 20}
                timeouts: {shutdown_grace_ms: 1000}
                \(extra)
                """
            try config.write(to: folder.appendingPathComponent("outguard.yaml"), atomically: true, encoding: .utf8)
            try ReloadTests.rules(version: 1).write(
                to: folder.appendingPathComponent("rules/words.yaml"), atomically: true, encoding: .utf8)
            let path = folder.appendingPathComponent("outguard.yaml").path
            let load: PolicyReloader.Load = { DaemonSetup.load(path: path, environment: [:], overrides: [:]) }
            guard let setup = load().setup else { throw LoadFailed() }
            let records = setup.config.log.violationFile.map { LogWriter<LogRecord>($0, logger: ProxyUnderTest.quiet) }
            let log = records.map { ViolationLog(records: $0, captures: nil, config: setup.config.log) }
            store = RuntimeStore(try ProxyRuntime(config: setup.config, policies: setup.policies, log: log))
            reloader = PolicyReloader(store: store, setup: setup, logger: ProxyUnderTest.quiet, load: load)
            writer = records
        }

        let writer: LogWriter<LogRecord>?

        struct LoadFailed: Error {}

        func write(version: Int) throws {
            try ReloadTests.rules(version: version).write(to: rulesFile, atomically: true, encoding: .utf8)
        }

        /// Runs `body` against the proxy (with the reloader as a service: SIGHUP and the
        /// watch), then stops it; the log is on disk afterwards.
        func run<T: Sendable>(_ body: (ProxyUnderTest) async throws -> T) async throws -> T {
            let proxy = try await ProxyUnderTest.start(store, before: [writer].compactMap { $0 }, after: [reloader])
            let result: Result<T, any Error>
            do {
                result = .success(try await body(proxy))
            } catch {
                result = .failure(error)
            }
            #expect(await proxy.stop(), "the proxy did not stop")
            return try result.get()
        }

        func records() throws -> [[String: Any]] {
            let text = try String(contentsOf: folder.appendingPathComponent("violations.jsonl"), encoding: .utf8)
            return try text.split(separator: "\n").map {
                try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            }
        }
    }

    static func ask(_ proxy: ProxyUnderTest, stream: Bool) async throws -> (text: String, requestID: String) {
        let response = try await TestConnection.with(port: proxy.port) {
            try await $0.send(Provider.openAIChat.request(stream: stream))
        }
        #expect(response.status == .ok)
        let texts =
            stream
            ? try ClientView.streamedAnswers(.openAIChat, response.body) : try ClientView.answers(.openAIChat, response.body)
        return (texts.first ?? "", response.headers.first(name: "Outguard-Request-Id") ?? "")
    }

    static func withUpstream<T: Sendable>(
        delay: TimeAmount? = nil, _ body: (TestUpstream) async throws -> T
    ) async throws -> T {
        let upstream = try await TestUpstream.start(ScriptedResponse.answering(.openAIChat, answer, delay: delay))
        defer { Task { await upstream.stop() } }
        return try await body(upstream)
    }

    @Test func aValidChangeServesNewRequestsAndIsRecorded() async throws {
        try await Self.withUpstream { upstream in
            let daemon = try Daemon(upstreamPort: upstream.port, extra: "reload: {watch: false}")
            defer { try? FileManager.default.removeItem(at: daemon.folder) }
            let before = await daemon.reloader.status.ruleset
            try await daemon.run { proxy in
                #expect(try await Self.ask(proxy, stream: false).text == Self.filtered(by: 1))
                try daemon.write(version: 2)
                let outcome = await daemon.reloader.reload(.admin)
                guard case .reloaded(let old, let new, let needRestart) = outcome else {
                    Issue.record("the reload failed: \(outcome)")
                    return
                }
                #expect(old == before && new != before && needRestart.isEmpty)
                #expect(try await Self.ask(proxy, stream: false).text == Self.filtered(by: 2))
                #expect(try await Self.ask(proxy, stream: true).text == Self.filtered(by: 2))
            }
            let status = await daemon.reloader.status
            #expect(status.reloads == 1 && status.failedReloads == 0 && status.ruleset != before)
            let records = try daemon.records()
            let reload = try #require(records.first { $0["event"] as? String == "reload" })
            #expect(reload["old_ruleset"] as? String == before)
            #expect(reload["ruleset"] as? String == status.ruleset)
            #expect(reload["source"] as? String == "admin")
            // Records before the reload carry the old digest, after it the new one (each
            // answer has three findings).
            let rulesets = records.filter { $0["event"] as? String == "request" }.map { $0["ruleset"] as? String }
            #expect(rulesets == [before, status.ruleset, status.ruleset])
        }
    }

    @Test func anInvalidChangeKeepsTheRunningPolicyAndSaysWhere() async throws {
        try await Self.withUpstream { upstream in
            let daemon = try Daemon(upstreamPort: upstream.port, extra: "reload: {watch: false}")
            defer { try? FileManager.default.removeItem(at: daemon.folder) }
            try await daemon.run { proxy in
                try "pack: words\nrules:\n  - id: words.bad\n    type: regex\n    pattern: '(unclosed'\n"
                    .write(to: daemon.rulesFile, atomically: true, encoding: .utf8)
                guard case .failed(let diagnostics) = await daemon.reloader.reload(.signal) else {
                    Issue.record("a rule file with a broken pattern was accepted")
                    return
                }
                #expect(diagnostics.contains { $0.severity == .error && $0.location.file.hasSuffix("words.yaml") && $0.location.line == 5 })
                #expect(try await Self.ask(proxy, stream: true).text == Self.filtered(by: 1))
                let failed = await daemon.reloader.status
                #expect(failed.failedReloads == 1 && failed.failure?.trigger == .signal)
                #expect(failed.failure?.diagnostics.first?.contains("words.yaml:5:") == true)

                try daemon.write(version: 2)
                guard case .reloaded = await daemon.reloader.reload(.signal) else {
                    Issue.record("the fixed file did not load")
                    return
                }
                #expect(await daemon.reloader.status.failure == nil)
                #expect(try await Self.ask(proxy, stream: true).text == Self.filtered(by: 2))
            }
        }
    }

    /// Streams that are in flight while the rules change many times: none fails, each is
    /// filtered by exactly one version, and every request that starts after a swap has
    /// returned gets the new version.
    @Test func reloadsUnderLoadNeverMixTwoPolicies() async throws {
        try await Self.withUpstream(delay: .milliseconds(2)) { upstream in
            let daemon = try Daemon(upstreamPort: upstream.port, extra: "reload: {watch: false}")
            defer { try? FileManager.default.removeItem(at: daemon.folder) }
            let versions = 12
            let done = Flag()
            let answers = try await daemon.run { proxy in
                try await withThrowingTaskGroup(of: [String].self) { group in
                    for _ in 0..<4 {
                        group.addTask {
                            var seen: [String] = []
                            // Bounded: stops after the last reload, or after 400 requests.
                            for _ in 0..<400 where !done.isSet {
                                seen.append(try await Self.ask(proxy, stream: true).text)
                            }
                            return seen
                        }
                    }
                    for version in 2...versions {
                        try await Task.sleep(for: .milliseconds(30))
                        try daemon.write(version: version)
                        guard case .reloaded = await daemon.reloader.reload(.watch) else {
                            Issue.record("version \(version) did not load")
                            break
                        }
                        #expect(try await Self.ask(proxy, stream: true).text == Self.filtered(by: version))
                    }
                    done.set()
                    return try await group.reduce(into: []) { $0 += $1 }
                }
            }
            let allowed = Set((1...versions).map(Self.filtered(by:)))
            #expect(answers.count > versions)
            for answer in answers where !allowed.contains(answer) {
                Issue.record("an answer filtered by no single version: \(answer)")
            }
            // Each response's records carry one ruleset: the one of the version that filtered it.
            let byRequest = Dictionary(grouping: try daemon.records().filter { $0["event"] as? String == "violation" }) {
                $0["request_id"] as? String ?? ""
            }
            for (id, records) in byRequest where Set(records.map { $0["ruleset"] as? String }).count != 1 {
                Issue.record("request \(id) has records of two rulesets")
            }
            let rules = Set(byRequest.values.map { Set($0.compactMap { $0["rule"] as? String }) })
            #expect(rules.allSatisfy { $0.count == 1 })
        }
    }

    /// Tells the clients of the load test to stop.
    final class Flag: Sendable {
        private let value = Mutex(false)
        var isSet: Bool { value.withLock { $0 } }
        func set() { value.withLock { $0 = true } }
    }

    @Test func theWatchNoticesAnEditAndAConfigMapLinkSwap() async throws {
        try await Self.withUpstream { upstream in
            let daemon = try Daemon(upstreamPort: upstream.port, extra: "reload: {interval_ms: 50}")
            defer { try? FileManager.default.removeItem(at: daemon.folder) }
            try await daemon.run { proxy in
                try daemon.write(version: 2)
                let edited = await Bounded.eventually(within: .seconds(10)) {
                    (try? await Self.ask(proxy, stream: false).text) == Self.filtered(by: 2)
                }
                #expect(edited, "an edit in place was not noticed")

                // Kubernetes mounts a ConfigMap as links into a `..data` link to a
                // timestamped folder, and updates it by pointing `..data` elsewhere.
                let manager = FileManager.default
                let rules = daemon.folder.appendingPathComponent("rules")
                try manager.removeItem(at: daemon.rulesFile)
                for version in [3, 4] {
                    let dated = rules.appendingPathComponent("..v\(version)")
                    try manager.createDirectory(at: dated, withIntermediateDirectories: true)
                    try Self.rules(version: version).write(
                        to: dated.appendingPathComponent("words.yaml"), atomically: true, encoding: .utf8)
                }
                try manager.createSymbolicLink(atPath: rules.appendingPathComponent("..data").path, withDestinationPath: "..v3")
                try manager.createSymbolicLink(atPath: daemon.rulesFile.path, withDestinationPath: "..data/words.yaml")
                let linked = await Bounded.eventually(within: .seconds(10)) {
                    (try? await Self.ask(proxy, stream: false).text) == Self.filtered(by: 3)
                }
                #expect(linked, "the ConfigMap layout was not loaded")
                // The swap: a new link, renamed over `..data` in one step.
                try manager.createSymbolicLink(atPath: rules.appendingPathComponent("..data_tmp").path, withDestinationPath: "..v4")
                #expect(rename(rules.appendingPathComponent("..data_tmp").path, rules.appendingPathComponent("..data").path) == 0)
                let swapped = await Bounded.eventually(within: .seconds(10)) {
                    (try? await Self.ask(proxy, stream: false).text) == Self.filtered(by: 4)
                }
                #expect(swapped, "the link swap was not noticed")
            }
            #expect(await daemon.reloader.status.reloads >= 3)
        }
    }

    /// The admin routes live on the admin listener only: on the main listener they are
    /// just another path, forwarded to the upstream like any route the proxy does not know.
    @Test func theMainListenerHasNoAdminRoutes() async throws {
        try await Self.withUpstream { upstream in
            let daemon = try Daemon(upstreamPort: upstream.port, extra: "reload: {watch: false}")
            defer { try? FileManager.default.removeItem(at: daemon.folder) }
            try daemon.write(version: 2)
            try await daemon.run { proxy in
                for (method, uri) in [(HTTPMethod.POST, "/admin/reload"), (.GET, "/admin/policy"), (.GET, "/readyz")] {
                    _ = try await TestConnection.with(port: proxy.port) {
                        try await $0.send(TestRequest(method: method, uri: uri))
                    }
                }
                #expect(try await Self.ask(proxy, stream: false).text == Self.filtered(by: 1))
            }
            #expect(await daemon.reloader.status.reloads == 0)
            #expect(Array(upstream.requests.map(\.uri).prefix(3)) == ["/admin/reload", "/admin/policy", "/readyz"])
        }
    }

    @Test func settingsOnlyARestartAppliesStayAndAreNamed() async throws {
        try await Self.withUpstream { upstream in
            let daemon = try Daemon(upstreamPort: upstream.port, extra: "reload: {watch: false}")
            defer { try? FileManager.default.removeItem(at: daemon.folder) }
            try await daemon.run { proxy in
                let path = daemon.folder.appendingPathComponent("outguard.yaml")
                let changed = try String(contentsOf: path, encoding: .utf8)
                    .replacingOccurrences(of: "workers: 1", with: "workers: 3\nfail_mode: open")
                try changed.write(to: path, atomically: true, encoding: .utf8)
                guard case .reloaded(_, _, let needRestart) = await daemon.reloader.reload(.admin) else {
                    Issue.record("the reload failed")
                    return
                }
                #expect(needRestart == ["workers"])
                #expect(daemon.store.current.config.workers == 1)
                #expect(daemon.store.current.config.failMode == .open)
                #expect(await daemon.reloader.status.needRestart == ["workers"])
            }
        }
    }
}
