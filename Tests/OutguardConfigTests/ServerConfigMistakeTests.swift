import OutguardConfig
import Testing

/// One test per kind of mistake in `outguard.yaml`: each names the exact place and what to
/// write instead, and a file with mistakes gives no config. The YAML is written inline, so
/// lines and columns can be counted in this file.

func expectOnly(_ yaml: String, _ expected: [String], sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    let fixture = try ServerConfigFixture(yaml)
    #expect(fixture.diagnostics == expected, sourceLocation: sourceLocation)
    #expect(fixture.config == nil, sourceLocation: sourceLocation)
}

@Test func unknownKeysSuggestTheClosestOrListThem() throws {
    try expectOnly("""
        listn: 127.0.0.1:8080
        colour: blue
        limits: {max_requst_bytes: 1MB}
        """, [
            "outguard.yaml:1:1: error: unknown key `listn`\n    fix: did you mean `listen`?",
            "outguard.yaml:2:1: error: unknown key `colour`\n    fix: the keys of the config file are: listen, upstream, rules, policies, blocked, log, admin, reload, fail_mode, unknown_routes, workers, limits, timeouts",
            "outguard.yaml:3:10: error: unknown key `max_requst_bytes`\n    fix: did you mean `max_request_bytes`?",
        ])
}

@Test func aPortAloneIsNotAListenAddress() throws {
    try expectOnly("listen: 8080", [
        "outguard.yaml:1:9: error: `8080` is only a port: write the address to listen on too\n    fix: write `listen: 127.0.0.1:8080`"
    ])
}

@Test func badListenAddresses() throws {
    let cases: [(String, String, String)] = [
        ("http://127.0.0.1:8080", "a listen address has no scheme, only `host:port`", "listen: 127.0.0.1:8080"),
        ("localhost", "`localhost` has no port", "listen: localhost:8080"),
        ("127.0.0.1:99999", "`99999` is not a port (0 to 65535)", "listen: 127.0.0.1:8080"),
        ("'::1:8080'", "an IPv6 address must be in brackets", "listen: [::1]:8080"),
        ("my host:80", "`my host` is not a host name or IP address", "listen: 127.0.0.1:8080"),
    ]
    for (written, message, fix) in cases {
        try expectOnly("listen: \(written)", ["outguard.yaml:1:9: error: \(message)\n    fix: write `\(fix)`"])
    }
}

@Test func anIPv6AddressNeedsQuotesInYAML() throws {
    // Unquoted, YAML reads `[::1]` as the start of a list; the YAML reader says to quote it.
    let fixture = try ServerConfigFixture("listen: [::1]:8080")
    #expect(fixture.config == nil)
    #expect(fixture.diagnostics.count == 1)
    #expect(fixture.diagnostics.first?.hasPrefix("outguard.yaml:1:10: error: YAML syntax") == true)
    #expect(fixture.diagnostics.first?.contains("quote values that") == true)
}

@Test func badUpstreamsShowExamples() throws {
    let examples = "write it like `upstream: http://vllm:8000`, `upstream: https://api.openai.com` or `upstream: mock:echo`"
    let cases: [(String, String, String)] = [
        ("vllm:8000", "`vllm:8000` is not a URL: it needs `http://` or `https://` in front", examples),
        ("api.openai.com", "`api.openai.com` is not a URL: it needs `http://` or `https://` in front",
         "write it like `upstream: http://api.openai.com`, `upstream: http://vllm:8000`, `upstream: https://api.openai.com` or `upstream: mock:echo`"),
        ("ftp://files", "the upstream must be http:// or https://, not `ftp://`", examples),
        ("mock:eco", "unknown mock upstream `mock:eco`; the built-in one is `mock:echo`", "write `upstream: mock:echo`"),
        ("https://sk-123@api.openai.com",
         "the upstream URL cannot hold a user or password; clients send their own credentials", examples),
        ("http://:80", "the upstream URL has no host", examples),
        ("http://vllm:0", "`0` is not a port (1 to 65535)", examples),
        ("http://vllm/v1?x=1", "the upstream URL cannot have a query or fragment (`?x=1`)", examples),
    ]
    for (written, message, fix) in cases {
        try expectOnly("upstream: \(written)", ["outguard.yaml:1:11: error: \(message)\n    fix: \(fix)"])
    }
}

@Test func unknownChoicesSuggestTheClosest() throws {
    try expectOnly("""
        fail_mode: opne
        unknown_routes: allow
        blocked: {response: refuse}
        """, [
            "outguard.yaml:1:12: error: unknown fail mode `opne`\n    fix: did you mean `open`? (one of: closed, open)",
            "outguard.yaml:2:17: error: unknown `unknown_routes` value `allow`\n    fix: write one of: pass, block",
            "outguard.yaml:3:21: error: unknown blocked response `refuse`\n    fix: did you mean `refusal`? (one of: refusal, error)",
        ])
}

@Test func limitsAndTimeoutsMustBePositive() throws {
    try expectOnly("""
        limits:
          max_request_bytes: 0
          max_response_bytes: 10XB
          max_header_bytes: -1
          upstream_connections: many
        timeouts:
          connect_ms: -5
          idle_ms: 1.5
          response_ms: 100000000
        workers: 0
        """, [
            "outguard.yaml:2:22: error: `max_request_bytes` must be at least 1, not 0\n    fix: write `max_request_bytes: 10MB`",
            "outguard.yaml:3:23: error: `max_response_bytes` must be a size in bytes, or a number with KB, MB or GB; not `10XB`\n    fix: write `max_response_bytes: 50MB`",
            "outguard.yaml:4:21: error: `max_header_bytes` must be at least 1, not -1\n    fix: write `max_header_bytes: 64KB`",
            "outguard.yaml:5:25: error: `upstream_connections` must be a whole number, not `many`\n    fix: write `upstream_connections: 256`",
            "outguard.yaml:7:15: error: `connect_ms` must be at least 1, not -5\n    fix: write `connect_ms: 5000`",
            "outguard.yaml:8:12: error: `idle_ms` must be a whole number, not `1.5`\n    fix: write `idle_ms: 300000`",
            "outguard.yaml:9:16: error: `response_ms` must be at most 86400000\n    fix: write `response_ms: 120000`",
            "outguard.yaml:10:10: error: `workers` must be at least 1, not 0\n    fix: write `workers: 2`",
        ])
}

@Test func valuesOfTheWrongShape() throws {
    try expectOnly("""
        rules: {pii: yes}
        blocked: refusal
        workers: [2]
        policies: [default]
        upstream:
        """, [
            "outguard.yaml:1:8: error: `rules` must be a path or a list of paths\n    fix: write it like `rules: [rules/]`",
            "outguard.yaml:2:10: error: `blocked` must be a mapping\n    fix: write it like `blocked: {response: refusal}`",
            "outguard.yaml:3:10: error: `workers` must be a whole number\n    fix: write it like `workers: 2`",
            "outguard.yaml:4:11: error: `policies` must be a mapping from policy names to their settings\n    fix: write it like `policies: {default: {packs: [pii, secrets]}}`",
            "outguard.yaml:5:10: error: `upstream` has no value\n    fix: write it like `upstream: http://vllm:8000`, or remove it",
        ])
}

@Test func policyMistakes() throws {
    try expectOnly("""
        policies:
          default: {packs: [pii], mode: shadw}
          Support Bot: {packs: pii}
          strict: {pack: [pii]}
          empty:
          bad: {rules: [PII.Email], scan_tool_arguments: yes}
        """, [
            "outguard.yaml:2:33: error: unknown policy mode `shadw`\n    fix: did you mean `shadow`? (one of: shadow, enforce)",
            "outguard.yaml:3:3: error: `Support Bot` is not a valid policy name\n    fix: use lowercase letters, digits, `.`, `_` and `-`, like `support-bot`",
            "outguard.yaml:3:24: error: `packs` must be a list of strings\n    fix: write it like `packs: [pii, secrets]`",
            "outguard.yaml:4:12: error: unknown key `pack`\n    fix: did you mean `packs`?",
            "outguard.yaml:5:9: error: policy `empty` has no settings\n    fix: write `empty: {}` for every loaded pack, or `empty: {packs: [pii, secrets]}`",
            "outguard.yaml:6:17: error: `PII.Email` is not a valid rule id\n    fix: use lowercase letters, digits, `.`, `_` and `-`, like `pii.email`",
            "outguard.yaml:6:50: error: `scan_tool_arguments` must be true or false\n    fix: write it like `scan_tool_arguments: true`",
        ])
}

@Test func adminMistakes() throws {
    try expectOnly("""
        listen: 127.0.0.1:9901
        admin: {token_env: "sk-abc123"}
        """, [
            "outguard.yaml:2:8: error: `admin` has no `listen`\n    fix: add the admin address, like `listen: 127.0.0.1:9901`",
            "outguard.yaml:2:20: error: `token_env` names the environment variable that holds the token\n    fix: write the variable's name, like `token_env: OUTGUARD_ADMIN_TOKEN`",
        ])
    try expectOnly("admin: {listen: 127.0.0.1:8080}", [
        "outguard.yaml:1:17: error: the admin listener cannot share the proxy's address 127.0.0.1:8080\n    fix: give it its own port, like `listen: 127.0.0.1:9901`"
    ])
}

@Test func fileLevelMistakes() throws {
    try expectOnly("- listen: 127.0.0.1:8080", [
        "outguard.yaml:1:1: error: the config file must be a mapping of settings\n    fix: write one setting a line, like `listen: 127.0.0.1:8080`"
    ])
    let folder = try RuleFolder(["conf/readme.txt": "not a config"])
    let missing = ServerConfigLoader.load(path: "\(folder.path)/nope.yaml", environment: [:], overrides: [:])
    #expect(missing.config == nil)
    #expect(folder.render(missing.diagnostics) == [
        "nope.yaml:1:1: error: no such file\n    fix: check the path (a relative path starts from the current folder), or leave it out to run with the defaults"
    ])
    let isFolder = ServerConfigLoader.load(path: "\(folder.path)/conf", environment: [:], overrides: [:])
    #expect(folder.render(isFolder.diagnostics) == [
        "conf:1:1: error: this is a folder, not a config file\n    fix: name the file itself, like `conf/outguard.yaml`"
    ])
}

@Test func warningsAloneStillGiveAConfig() throws {
    let fixture = try ServerConfigFixture("""
        rules: []
        policies:
          default: {packs: [pii, pii]}
        """)
    #expect(fixture.diagnostics == [
        "outguard.yaml:1:8: warning: `rules` lists no files or folders: nothing will be filtered\n    fix: write it like `rules: [rules/]`",
        "outguard.yaml:3:26: warning: `pii` is listed twice\n    fix: remove one of them",
    ])
    #expect(fixture.config?.policies["default"]?.packs == ["pii"])
}

@Test func reloadTakesAFlagAndAnIntervalNotTooShort() throws {
    try expectOnly("reload: {watch: yes please, interval_ms: 10}", [
        "outguard.yaml:1:17: error: `watch` must be true or false\n    fix: write it like `watch: true`",
        "outguard.yaml:1:42: error: `interval_ms` must be at least 50, not 10\n    fix: write `interval_ms: 1000`",
    ])
}
