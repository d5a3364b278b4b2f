import Foundation
import Hummingbird
import Logging
import HummingbirdTesting
import NIOPosix
import OutguardConfig
import OutguardHooks
import OutguardLog
import OutguardProxy
import Testing

@testable import OutguardAdmin

/// `/readyz`, `/admin/policy` and `/admin/reload` over a daemon loaded from files, as
/// `outguard serve` loads it (the proxy listener itself is not needed for these).
@Suite struct OperationsTests {
    /// A config folder with one rule file, the daemon loaded from it, and its admin router.
    struct Daemon: Sendable {
        let folder: URL
        let daemon: RunningDaemon
        let writer: LogWriter<LogRecord>?
        let admin: AdminServer

        init(
            upstream: String = "mock:echo", logPath: String? = nil, token: String? = AdminFixture.token,
            rules: String = Self.rules
        ) async throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("og-ops-\(UUID().uuidString)")
            try FileManager.default.createDirectory(
                at: folder.appendingPathComponent("rules"), withIntermediateDirectories: true)
            try """
                upstream: \(upstream)
                rules: [rules/]
                policies: {default: {}, trial: {mode: shadow}}
                reload: {watch: false}
                timeouts: {connect_ms: 500}
                """.write(to: folder.appendingPathComponent("outguard.yaml"), atomically: true, encoding: .utf8)
            try rules.write(to: folder.appendingPathComponent("rules/words.yaml"), atomically: true, encoding: .utf8)
            let path = folder.appendingPathComponent("outguard.yaml").path
            let load: PolicyReloader.Load = {
                DaemonSetup.load(path: path, environment: [:], overrides: logPath.map { ["log_path": $0] } ?? [:])
            }
            guard let setup = load().setup else { throw LoadFailed() }
            writer = setup.config.log.violationFile.map { LogWriter<LogRecord>($0, logger: Self.quiet) }
            let log = writer.map { ViolationLog(records: $0, captures: nil, config: setup.config.log) }
            // As `outguard serve` builds them.
            let hookSupply = HookSupply(environment: [:], logger: Self.quiet)
            let hooks = try hookSupply.hooks(for: setup.hooks)
            let store = RuntimeStore(
                try ProxyRuntime(config: setup.config, policies: setup.policies, log: log, hooks: hooks))
            daemon = RunningDaemon(
                store: store,
                reloader: PolicyReloader(
                    store: store, setup: setup, logger: Self.quiet, hookSupply: hookSupply, load: load))
            admin = AdminServer(
                config: AdminConfig(listen: ListenAddress(host: "127.0.0.1", port: 0), tokenEnv: "OUTGUARD_ADMIN_TOKEN"),
                token: token, logPath: logPath, writer: writer, daemon: daemon, logger: Self.quiet)
        }

        static let rules = """
            pack: words
            rules:
              - id: words.alpha
                type: lexicon
                terms: [alpha]
                action: redact
                severity: high
            """

        struct LoadFailed: Error {}

        /// The reloader's messages (a failed reload is an error) would only clutter the test output.
        static let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

        func test<Value: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
            let app = Application(router: try admin.makeRouter())
            return try await app.test(.router, body)
        }

        func remove() {
            try? FileManager.default.removeItem(at: folder)
        }
    }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    }

    static func check(_ name: String, in readiness: [String: Any]) -> [String: Any]? {
        (readiness["checks"] as? [[String: Any]])?.first { $0["name"] as? String == name }
    }

    @Test func readinessIsOpenAndSaysWhyCheckByCheck() async throws {
        let fixture = try await Daemon()
        defer { fixture.remove() }
        try await fixture.test { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                let readiness = try Self.json(response)
                #expect(readiness["ready"] as? Bool == true)
                let names = (readiness["checks"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
                #expect(names == ["policy", "reload", "upstream", "hooks", "log"])
                #expect((Self.check("policy", in: readiness)?["reason"] as? String)?.contains("sha256:") == true)
                #expect(Self.check("upstream", in: readiness)?["reason"] as? String == "the built-in mock:echo")
                let hooks = Self.check("hooks", in: readiness)
                #expect(hooks?["status"] as? String == "ok")
                #expect(hooks?["reason"] as? String == "no classifier hooks")
            }
        }
    }

    @Test func anUnreachableUpstreamIsNotReadyAndIsProbedAgain() async throws {
        // Nothing listens on port 1 of the loopback address: connecting is refused at once.
        let fixture = try await Daemon(upstream: "http://127.0.0.1:1")
        defer { fixture.remove() }
        try await fixture.test { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                // Not tried yet: a sidecar must not be kept out of service before its first request.
                #expect(response.status == .ok)
                let upstream = Self.check("upstream", in: try Self.json(response))
                #expect((upstream?["reason"] as? String)?.contains("not tried") == true)
            }
            let health = try #require(fixture.daemon.store.current.upstreamHealth)
            guard case .unreachable = await health.probe() else {
                Issue.record("port 1 took a connection")
                return
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let readiness = try Self.json(response)
                #expect(readiness["ready"] as? Bool == false)
                let upstream = Self.check("upstream", in: readiness)
                #expect(upstream?["status"] as? String == "fail")
                #expect((upstream?["reason"] as? String)?.contains("127.0.0.1:1") == true)
            }
        }
    }

    @Test func aHookThatDoesNotAnswerIsAWarningAndIsProbedAgain() async throws {
        // Nothing listens on port 1 of the loopback address: connecting is refused at once.
        let url = "http://127.0.0.1:1/v1/classify"
        let fixture = try await Daemon(
            rules: Daemon.rules
                + "\nhooks:\n  judge: {url: \"\(url)\", protocol: outguard, on_error: block, timeout_ms: 10000}\n")
        defer { fixture.remove() }
        let judge = try #require(fixture.daemon.store.current.hooks?["judge"])
        try await fixture.test { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                let hooks = Self.check("hooks", in: try Self.json(response))
                #expect(hooks?["status"] as? String == "ok")
                #expect(hooks?["reason"] as? String == "judge: not tried yet")
            }
            // Calls that fail open the breaker (after 5) and leave the hook unreachable.
            let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
            for index in 0..<5 {
                let result = try await judge.scores(
                    for: "text \(index)", rule: nil, categories: ["x"], on: eventLoop
                ).get()
                // Refused, not timed out: the timeout is far longer than a busy machine needs.
                #expect(result.outcome == .unreachable)
            }
            #expect(judge.counters.breakerOpen)
            let probesBefore = judge.health
            try await client.execute(uri: "/readyz", method: .get) { response in
                // Ready all the same: `on_error` decides what the rules do meanwhile.
                #expect(response.status == .ok)
                let readiness = try Self.json(response)
                #expect(readiness["ready"] as? Bool == true)
                let hooks = Self.check("hooks", in: readiness)
                #expect(hooks?["status"] as? String == "warn")
                let reason = try #require(hooks?["reason"] as? String)
                #expect(reason.hasPrefix("judge at \(url): does not answer (unreachable: "), "\(reason)")
                #expect(reason.hasSuffix(", breaker open; its rules follow on_error: block"), "\(reason)")
            }
            // The check probed the hook again: its failure is a newer one.
            #expect(judge.health != probesBefore)
        }
    }

    @Test func aLogTheDiskRefusesIsNotReady() async throws {
        // `/dev/full` refuses every write with ENOSPC, even for root.
        let fixture = try await Daemon(logPath: "/dev/full")
        defer { fixture.remove() }
        let writer = try #require(fixture.writer)
        writer.submit(LogRecord(event: .feedback))
        let refused = await Self.eventually { writer.stats.failure != nil }
        #expect(refused)
        try await fixture.test { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let log = Self.check("log", in: try Self.json(response))
                #expect(log?["status"] as? String == "fail")
                #expect((log?["reason"] as? String)?.contains("1 lost") == true)
            }
        }
        await writer.close()
    }

    @Test func thePolicyReportListsEveryPolicysRulesAsApplied() async throws {
        let fixture = try await Daemon()
        defer { fixture.remove() }
        try await fixture.test { client in
            try await client.execute(uri: "/admin/policy", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/admin/policy", method: .get, headers: bearer) { response in
                #expect(response.status == .ok)
                let report = try Self.json(response)
                #expect((report["ruleset"] as? String)?.hasPrefix("sha256:") == true)
                #expect(report["loaded_at"] is String)
                #expect(report["reloads"] as? Int == 0)
                let policies = try #require(report["policies"] as? [[String: Any]])
                #expect(policies.compactMap { $0["name"] as? String } == ["default", "trial"])
                let modes = policies.compactMap { ($0["rules"] as? [[String: Any]])?.first?["mode"] as? String }
                #expect(modes == ["enforce", "shadow"])
                let rule = (policies.first?["rules"] as? [[String: Any]])?.first
                #expect(rule?["id"] as? String == "words.alpha")
                #expect(rule?["action"] as? String == "redact")
                #expect(rule?["severity"] as? String == "high")
                #expect(policies.first?["packs"] as? [String] == ["words"])
            }
        }
    }

    @Test func reloadNeedsTheTokenAndReportsWhatHappened() async throws {
        let fixture = try await Daemon()
        defer { fixture.remove() }
        let rules = fixture.folder.appendingPathComponent("rules/words.yaml")
        try await fixture.test { client in
            try await client.execute(uri: "/admin/reload", method: .post) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/admin/reload", method: .get, headers: bearer) { response in
                #expect(response.status != .ok)
            }
            try "pack: words\nrules:\n  - id: words.alpha\n    type: lexicon\n    action: redact\n"
                .write(to: rules, atomically: true, encoding: .utf8)
            try await client.execute(uri: "/admin/reload", method: .post, headers: bearer) { response in
                #expect(response.status == .unprocessableContent)
                let answer = try Self.json(response)
                #expect(answer["reloaded"] as? Bool == false)
                let diagnostics = try #require(answer["diagnostics"] as? [String])
                #expect(diagnostics.contains { $0.contains("words.yaml:3:") })
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                // The policy before the mistake still serves: ready, with a warning that says why.
                #expect(response.status == .ok)
                let reload = Self.check("reload", in: try Self.json(response))
                #expect(reload?["status"] as? String == "warn")
                #expect((reload?["reason"] as? String)?.contains("words.yaml:3:") == true)
            }
            try await client.execute(uri: "/admin/policy", method: .get, headers: bearer) { response in
                let report = try Self.json(response)
                #expect(report["failed_reloads"] as? Int == 1)
                #expect((report["last_failure"] as? [String: Any])?["trigger"] as? String == "admin")
            }
            try Daemon.rules.replacingOccurrences(of: "[alpha]", with: "[beta]")
                .write(to: rules, atomically: true, encoding: .utf8)
            try await client.execute(uri: "/admin/reload", method: .post, headers: bearer) { response in
                #expect(response.status == .ok)
                let answer = try Self.json(response)
                #expect(answer["reloaded"] as? Bool == true)
                #expect(answer["old_ruleset"] as? String != answer["ruleset"] as? String)
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                let reload = Self.check("reload", in: try Self.json(response))
                #expect(reload?["status"] as? String == "ok")
            }
        }
    }

    static func eventually(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<500 where !condition() { try? await Task.sleep(for: .milliseconds(10)) }
        return condition()
    }
}
