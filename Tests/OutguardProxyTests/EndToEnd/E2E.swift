import Foundation
import OutguardConfig
import OutguardHooks
import Testing

@testable import OutguardProxy

/// One test's world: a scripted `TestUpstream` and the real proxy in front of it,
/// both stopped when the test body returns or throws.
struct E2E: Sendable {
    let upstream: TestUpstream
    let proxy: ProxyUnderTest

    /// Starts both, runs `body`, stops both (bounded), and records an issue if the proxy
    /// did not stop.
    @discardableResult
    static func run<T: Sendable>(
        configure: (inout ServerConfig) -> Void = { _ in },
        metrics: ProxyMetrics = ProxyMetrics(),
        policies makePolicies: ((ServerConfig) -> [String: PolicyEntry])? = nil, hooks: Hooks? = nil,
        upstream responder: @escaping @Sendable (RecordedRequest) -> ScriptedResponse,
        _ body: (E2E) async throws -> T
    ) async throws -> T {
        let upstream = try await TestUpstream.start(responder)
        var config = baseConfig(upstreamPort: upstream.port)
        configure(&config)
        let proxy: ProxyUnderTest
        do {
            let policies = try #require(
                makePolicies.map { $0(config) } ?? TestRules.policies, "the rules in rules/ did not load")
            proxy = try await ProxyUnderTest.start(config, policies: policies, metrics: metrics, hooks: hooks)
        } catch {
            await upstream.stop()
            throw error
        }
        let result: Result<T, any Error>
        do {
            result = .success(try await body(E2E(upstream: upstream, proxy: proxy)))
        } catch {
            result = .failure(error)
        }
        let stopped = await proxy.stop()
        await upstream.stop()
        #expect(stopped, "the proxy did not stop")
        return try result.get()
    }

    /// The settings every test starts from: loopback only, one event loop, a short grace
    /// period. The upstream timeouts are generous (a busy machine is slow); the tests of
    /// timeouts set their own.
    static func baseConfig(upstreamPort: Int) -> ServerConfig {
        var config = ServerConfig()
        config.listen = ListenAddress(host: "127.0.0.1", port: 0)
        config.upstream = .http(scheme: "http", host: "127.0.0.1", port: upstreamPort, basePath: "")
        config.rules = [TestRules.folder]
        config.policies = TestRules.policyConfigs
        config.workers = 1
        config.timeouts.connectMs = 1_000
        config.timeouts.responseMs = 30_000
        config.timeouts.idleMs = 30_000
        config.timeouts.shutdownGraceMs = 1_000
        return config
    }

    /// Sends `request` over a new connection and reads the whole response within `limit`.
    func send(_ request: TestRequest, within limit: Duration = .seconds(10)) async throws -> TestResponse {
        try await TestConnection.with(port: proxy.port, within: limit) { try await $0.send(request) }
    }

    /// Runs `body` with a new connection to the proxy.
    func connection<T: Sendable>(_ body: @escaping @Sendable (TestConnection) async throws -> T) async throws -> T {
        try await TestConnection.with(port: proxy.port, body)
    }
}

/// The rule files shipped in the repository's rules/ folder, compiled once for all tests.
enum TestRules {
    /// This file is Tests/OutguardProxyTests/EndToEnd/E2E.swift.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let folder = packageRoot.appendingPathComponent("rules").path

    /// `default`: every rule in its own mode (brand is shadow); `strict`: every rule enforced;
    /// `shadow`: every rule in shadow mode.
    static let policyConfigs: [String: PolicyConfig] = [
        ServerConfig.defaultPolicyName: PolicyConfig(), "strict": PolicyConfig(mode: .enforce),
        "shadow": PolicyConfig(mode: .shadow),
    ]

    /// Nil when the rules have errors.
    static let policies: [String: PolicyEntry]? = {
        var config = ServerConfig()
        config.policies = policyConfigs
        let ruleSet = RuleSetLoader.load(paths: [folder])
        let built = config.makePolicies(from: ruleSet)
        guard !ruleSet.hasErrors, built.policies.count == policyConfigs.count else { return nil }
        return built.policies
    }()
}
