import Foundation
import OutguardConfig
import OutguardEngine
import OutguardLog
import Testing

/// The daemon config: defaults, a full file, overrides from the environment and flags,
/// paths, and the shipped `outguard.yaml`.

@Test func noFileGivesTheDefaults() {
    let loaded = ServerConfigLoader.load(path: nil, environment: [:], overrides: [:])
    #expect(loaded.diagnostics.isEmpty)
    let config = loaded.config
    #expect(config == ServerConfig())
    #expect(config?.listen.description == "127.0.0.1:8080")
    #expect(config?.upstream == .mockEcho)
    #expect(config?.rules == ["rules/"])
    #expect(config?.policies == ["default": PolicyConfig()])
    #expect(config?.blocked == .refusal)
    #expect(config?.log == LogConfig())
    #expect(config?.admin == nil)
    #expect(config?.failMode == .closed)
    #expect(config?.unknownRoutes == .pass)
    #expect(config?.workers == ProcessInfo.processInfo.activeProcessorCount)
    #expect(config?.limits.maxRequestBytes == 10 << 20)
    #expect(config?.timeouts.connectMs == 5_000)
}

@Test func anEmptyFileGivesTheDefaultsBesideIt() throws {
    let fixture = try ServerConfigFixture("# everything commented out\n")
    #expect(fixture.diagnostics == [])
    var expected = ServerConfig()
    expected.rules = [fixture.path("rules/")]
    #expect(fixture.config == expected)
}

@Test func aFullFile() throws {
    let fixture = try ServerConfigFixture("""
        listen: "[::1]:9000"
        upstream: http://127.0.0.1:9001/prefix/
        rules: [rules/, /etc/outguard/extra.yaml]
        policies:
          default: {packs: [pii, secrets]}
          support-bot:
            packs: [pii]
            rules: [pii.email]
            mode: shadow
            scan_tool_arguments: true
        blocked: {response: error}
        log:
          path: var/violations.jsonl
          match: full
          hmac_key_env: MY_KEY
          flush_ms: 50
          max_bytes: 1MiB
          keep: 0
          queue_size: 100
          capture: {path: /var/capture.jsonl, findings: false, sample_rate: 0.25}
        admin: {listen: 127.0.0.1:9901, token_env: OUTGUARD_ADMIN_TOKEN}
        fail_mode: open
        unknown_routes: block
        workers: 3
        limits: {max_request_bytes: 1MB, max_response_bytes: 2_000_000, max_header_bytes: 8 KiB, upstream_connections: 16}
        timeouts: {connect_ms: 100, response_ms: 200, idle_ms: 300, shutdown_grace_ms: 400}
        """)
    #expect(fixture.diagnostics == [])
    var expected = ServerConfig()
    expected.listen = ListenAddress(host: "::1", port: 9000)
    expected.upstream = .http(scheme: "http", host: "127.0.0.1", port: 9001, basePath: "/prefix")
    expected.rules = [fixture.path("rules/"), "/etc/outguard/extra.yaml"]
    expected.policies = [
        "default": PolicyConfig(packs: ["pii", "secrets"]),
        "support-bot": PolicyConfig(packs: ["pii"], rules: ["pii.email"], mode: .shadow, scanToolArguments: true),
    ]
    expected.blocked = .error
    expected.log.path = fixture.path("var/violations.jsonl")
    expected.log.match = .full
    expected.log.hmacKeyEnv = "MY_KEY"
    expected.log.flushMs = 50
    expected.log.maxBytes = 1 << 20
    expected.log.keep = 0
    expected.log.queueSize = 100
    expected.log.capture = CaptureConfig(path: "/var/capture.jsonl", findings: false, sampleRate: 0.25)
    expected.admin = AdminConfig(listen: ListenAddress(host: "127.0.0.1", port: 9901), tokenEnv: "OUTGUARD_ADMIN_TOKEN")
    expected.failMode = .open
    expected.unknownRoutes = .block
    expected.workers = 3
    expected.limits.maxRequestBytes = 1 << 20
    expected.limits.maxResponseBytes = 2_000_000
    expected.limits.maxHeaderBytes = 8 << 10
    expected.limits.maxConnectionsPerUpstreamLoop = 16
    expected.timeouts.connectMs = 100
    expected.timeouts.responseMs = 200
    expected.timeouts.idleMs = 300
    expected.timeouts.shutdownGraceMs = 400
    #expect(fixture.config == expected)
    #expect(fixture.config?.listen.description == "[::1]:9000")
    #expect(fixture.config?.upstream.description == "http://127.0.0.1:9001/prefix")
}

@Test func policiesWithoutDefaultGetOneWithEveryPack() throws {
    let fixture = try ServerConfigFixture("policies: {strict: {packs: [pii], mode: enforce}}")
    #expect(fixture.diagnostics == [])
    #expect(fixture.config?.policies == ["strict": PolicyConfig(packs: ["pii"], mode: .enforce), "default": PolicyConfig()])
}

@Test func listenAddressesAndUpstreamsInEveryForm() throws {
    let listens: [(String, String, Int)] = [
        ("0.0.0.0:80", "0.0.0.0", 80), (":8080", "0.0.0.0", 8080), ("localhost:0", "localhost", 0),
        ("[::]:443", "::", 443), ("[fe80::1%eth0]:8080", "fe80::1%eth0", 8080),
    ]
    for (text, host, port) in listens {
        let config = ServerConfigLoader.load(path: nil, environment: ["OUTGUARD_LISTEN": text], overrides: [:]).config
        #expect(config?.listen == ListenAddress(host: host, port: port), "\(text)")
    }
    let upstreams: [(String, Upstream, String)] = [
        ("mock:echo", .mockEcho, "mock:echo"),
        ("https://api.openai.com", .http(scheme: "https", host: "api.openai.com", port: 443, basePath: ""), "https://api.openai.com"),
        ("HTTP://VLLM:8000/", .http(scheme: "http", host: "vllm", port: 8000, basePath: ""), "http://vllm:8000"),
        ("http://[::1]/v1", .http(scheme: "http", host: "::1", port: 80, basePath: "/v1"), "http://[::1]/v1"),
        ("https://gw.example.com:8443/a/b//", .http(scheme: "https", host: "gw.example.com", port: 8443, basePath: "/a/b"),
         "https://gw.example.com:8443/a/b"),
    ]
    for (text, upstream, description) in upstreams {
        let config = ServerConfigLoader.load(path: nil, environment: [:], overrides: ["upstream": text]).config
        #expect(config?.upstream == upstream, "\(text)")
        #expect(config?.upstream.description == description)
    }
}

@Test func environmentOverridesTheFileAndFlagsOverrideBoth() throws {
    let yaml = """
        listen: 127.0.0.1:1000
        upstream: http://file:1
        fail_mode: closed
        workers: 1
        """
    let environment = [
        "OUTGUARD_LISTEN": "127.0.0.1:2000", "OUTGUARD_UPSTREAM": "http://env:2", "OUTGUARD_FAIL_MODE": "open",
        "OUTGUARD_RULES": " a/ , b.yaml,", "OUTGUARD_BLOCKED_RESPONSE": "error", "OUTGUARD_LOG_PATH": "env.jsonl",
        "OUTGUARD_UNKNOWN_ROUTES": "block", "OUTGUARD_WORKERS": "2",
        // Empty means unset, and other variables are not outguard's business.
        "OUTGUARD_ADMIN_TOKEN": "secret", "HOME": "/root",
    ]
    let fromEnvironment = try ServerConfigFixture(yaml, environment: environment)
    #expect(fromEnvironment.diagnostics == [])
    let config = try #require(fromEnvironment.config)
    #expect(config.listen.port == 2000)
    #expect(config.upstream.description == "http://env:2")
    #expect(config.failMode == .open)
    #expect(config.rules == ["a/", "b.yaml"])
    #expect(config.blocked == .error)
    #expect(config.log.path == "env.jsonl")
    #expect(config.unknownRoutes == .block)
    #expect(config.workers == 2)

    let flags = ["listen": ":3000", "workers": "3", "fail_mode": "closed", "rules": "c/"]
    let fromFlags = try ServerConfigFixture(yaml, environment: environment, overrides: flags)
    #expect(fromFlags.diagnostics == [])
    #expect(fromFlags.config?.listen == ListenAddress(host: "0.0.0.0", port: 3000))
    #expect(fromFlags.config?.workers == 3)
    #expect(fromFlags.config?.failMode == .closed)
    #expect(fromFlags.config?.rules == ["c/"])
    #expect(fromFlags.config?.upstream.description == "http://env:2")

    let emptyIsUnset = try ServerConfigFixture(yaml, environment: ["OUTGUARD_LISTEN": ""])
    #expect(emptyIsUnset.config?.listen.port == 1000)
}

@Test func badEnvironmentValuesAndFlagsNameWhereTheyCameFrom() throws {
    let diagnostics = try configDiagnostics(
        "listen: 127.0.0.1:8080",
        environment: ["OUTGUARD_LISTEN": "8080", "OUTGUARD_FAIL_MODE": "opne", "OUTGUARD_LISTN": "x"],
        overrides: ["upstream": "vllm:8000", "workers": "0", "log_path": "", "colour": "blue"])
    #expect(diagnostics == [
        "OUTGUARD_LISTEN:1:1: error: `8080` is only a port: write the address to listen on too\n    fix: set `OUTGUARD_LISTEN=127.0.0.1:8080`",
        "OUTGUARD_FAIL_MODE:1:1: error: unknown `OUTGUARD_FAIL_MODE` value `opne`\n    fix: set `OUTGUARD_FAIL_MODE=open`",
        "OUTGUARD_LISTN:1:1: warning: `OUTGUARD_LISTN` is not a setting outguard reads\n    fix: did you mean `OUTGUARD_LISTEN`?",
        "--upstream:1:1: error: `vllm:8000` is not a URL: it needs `http://` or `https://` in front\n    fix: write it like `--upstream http://vllm:8000`, `--upstream https://api.openai.com` or `--upstream mock:echo`",
        "--log-path:1:1: error: `--log-path` has no value\n    fix: give it a value, or leave the flag out",
        "--workers:1:1: error: `--workers` must be at least 1, not 0\n    fix: write `--workers 2`",
        "--colour:1:1: error: unknown setting `colour`\n    fix: the settings flags can set are: listen, upstream, rules, fail_mode, blocked_response, log_path, unknown_routes, workers",
    ])
}

@Test func pathsAreRelativeToTheConfigFilesFolder() throws {
    let folder = try RuleFolder(["conf/outguard.yaml": "rules: [packs/, /abs/rules.yaml]\nlog: {path: ../var/log.jsonl}"])
    let loaded = ServerConfigLoader.load(path: "\(folder.path)/conf/outguard.yaml", environment: [:], overrides: [:])
    #expect(loaded.diagnostics == [])
    #expect(loaded.config?.rules == ["\(folder.path)/conf/packs/", "/abs/rules.yaml"])
    #expect(loaded.config?.log.path == "\(folder.path)/conf/../var/log.jsonl")
}

/// The repository root, where the shipped `outguard.yaml` and `rules/` are.
private let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

@Test func theShippedConfigLoadsAndItsPoliciesCompile() throws {
    let loaded = ServerConfigLoader.load(path: "\(repositoryRoot)/outguard.yaml", environment: [:], overrides: [:])
    #expect(loaded.diagnostics.map(\.description) == [])
    let config = try #require(loaded.config)
    #expect(config.listen.description == "127.0.0.1:8080")
    #expect(config.upstream == .mockEcho)
    #expect(config.rules == ["\(repositoryRoot)/rules/"])
    #expect(config.log.path == "\(repositoryRoot)/var/violations.jsonl")
    #expect(config.failMode == .closed)
    #expect(config.blocked == .refusal)

    let ruleSet = RuleSetLoader.load(paths: config.rules)
    #expect(!ruleSet.hasErrors)
    let built = config.makePolicies(from: ruleSet)
    #expect(built.diagnostics.map(\.description) == [])
    #expect(Set(built.policies.keys) == ["default", "shadow"])
    let every = ruleSet.enabledRules.map(\.definition.id)
    #expect(built.policies["default"]?.policy.rules.map(\.id) == every)
    #expect(built.policies["shadow"]?.policy.rules.map(\.id) == every)
    #expect(built.policies["shadow"]?.policy.rules.allSatisfy { $0.mode == .shadow } == true)
    #expect(built.policies["default"]?.policy.ruleset == ruleSet.ruleset)
}

@Test func theReloadSectionIsRead() throws {
    let fixture = try ServerConfigFixture("reload: {watch: false, interval_ms: 250}")
    #expect(fixture.config?.reload.watch == false)
    #expect(fixture.config?.reload.intervalMs == 250)
    #expect(try ServerConfigFixture("").config?.reload == ReloadConfig())
}

/// A reload applies what it can at once and keeps, and names, what needs a restart.
@Test func aReloadKeepsTheSettingsOnlyARestartApplies() throws {
    let running = try #require(try ServerConfigFixture("listen: 127.0.0.1:8080\nworkers: 2").config)
    let edited = try #require(
        try ServerConfigFixture("""
            listen: 127.0.0.1:9090
            workers: 4
            fail_mode: open
            upstream: http://127.0.0.1:11434
            limits: {max_request_bytes: 1MB, upstream_connections: 8}
            timeouts: {response_ms: 1000, shutdown_grace_ms: 10}
            log: {path: other.jsonl}
            """).config)
    let (applied, needRestart) = edited.applied(over: running)
    #expect(needRestart == [
        "listen", "upstream", "log", "workers", "limits.upstream_connections", "timeouts.shutdown_grace_ms",
    ])
    #expect(applied.listen == running.listen && applied.workers == 2 && applied.upstream == running.upstream)
    #expect(applied.log == running.log && applied.limits.maxConnectionsPerUpstreamLoop == 256)
    #expect(applied.failMode == .open && applied.limits.maxRequestBytes == 1 << 20 && applied.timeouts.responseMs == 1000)
    #expect(running.applied(over: running).needRestart.isEmpty)
}
