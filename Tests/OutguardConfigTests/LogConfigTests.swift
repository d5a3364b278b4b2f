import OutguardConfig
import OutguardLog
import Testing

/// The `log` section of `outguard.yaml`: its mistakes, each at its place with a fix, and
/// the HMAC key read from the environment.

@Test func logMistakes() throws {
    try expectOnly(
        """
        log:
          path: ""
          match: mask
          hmac_key_env: "k3y-value"
          flush_ms: 0
          max_bytes: 10XB
          keep: -1
          queue_size: lots
          colour: blue
        """,
        [
            "outguard.yaml:2:9: error: the log path cannot be empty\n    fix: write a file, like `path: var/violations.jsonl`, or remove `log`",
            "outguard.yaml:3:10: error: unknown `match` value `mask`\n    fix: write one of: masked, hmac, full, none",
            "outguard.yaml:4:17: error: `hmac_key_env` names the environment variable that holds the key\n    fix: write the variable's name, like `hmac_key_env: OUTGUARD_LOG_HMAC_KEY`",
            "outguard.yaml:5:13: error: `flush_ms` must be at least 1, not 0\n    fix: write `flush_ms: 200`",
            "outguard.yaml:6:14: error: `max_bytes` must be a size in bytes, or a number with KB, MB or GB; not `10XB`\n    fix: write `max_bytes: 100MiB`",
            "outguard.yaml:7:9: error: `keep` must be at least 0, not -1\n    fix: write `keep: 5`",
            "outguard.yaml:8:15: error: `queue_size` must be a whole number, not `lots`\n    fix: write `queue_size: 65536`",
            "outguard.yaml:9:3: error: unknown key `colour`\n    fix: the keys of `log` are: path, match, hmac_key_env, flush_ms, max_bytes, keep, queue_size, capture",
        ])
}

@Test func captureMistakes() throws {
    try expectOnly(
        "log: {capture: var/capture.jsonl}",
        [
            "outguard.yaml:1:16: error: `capture` must be a mapping\n    fix: write it like `capture: {path: var/capture.jsonl}`"
        ])
    try expectOnly(
        "log: {capture: {findings: yes, sample: 0.1}}",
        [
            "outguard.yaml:1:16: error: `capture` has no `path`\n    fix: add the file, like `path: var/capture.jsonl`",
            "outguard.yaml:1:27: error: `findings` must be true or false\n    fix: write it like `findings: true`",
            "outguard.yaml:1:32: error: unknown key `sample`\n    fix: the keys of `capture` are: path, findings, sample_rate",
        ])
    try expectOnly(
        "log: {capture: {path: c.jsonl, findings: yes, sample_rate: 1.5}}",
        [
            "outguard.yaml:1:42: error: `findings` must be true or false\n    fix: write it like `findings: true`",
            "outguard.yaml:1:60: error: `sample_rate` must be from 0 to 1, not 1.5\n    fix: write it like `sample_rate: 0.01` (1% of clean answers)",
        ])
    try expectOnly(
        "log: {path: same.jsonl, capture: {path: same.jsonl}}",
        [
            "outguard.yaml:1:41: error: the capture file cannot be the log file\n    fix: give it a file of its own, like `path: var/capture.jsonl`"
        ])
    try expectOnly(
        "log: {capture: {path: '', sample_rate: 10%}}",
        [
            "outguard.yaml:1:23: error: the capture path cannot be empty\n    fix: write a file, like `path: var/capture.jsonl`, or remove `capture`",
            "outguard.yaml:1:40: error: `sample_rate` must be a number\n    fix: write it like `sample_rate: 0.01`",
        ])
}

@Test func anHMACLogNeedsItsKeyInTheEnvironment() throws {
    let yaml = "log: {path: v.jsonl, match: hmac}"
    let unset =
        "outguard.yaml:1:29: error: `match: hmac` needs a key, but `OUTGUARD_LOG_HMAC_KEY` is not set\n    fix: set `OUTGUARD_LOG_HMAC_KEY` to a long random secret (`openssl rand -hex 32`), or choose another `match`"
    try expectOnly(yaml, [unset])
    #expect(try ServerConfigFixture(yaml, environment: ["OUTGUARD_LOG_HMAC_KEY": ""]).diagnostics == [unset])
    let named = try ServerConfigFixture(
        "log: {match: hmac, hmac_key_env: LOG_KEY}", environment: ["OUTGUARD_LOG_HMAC_KEY": "k"])
    #expect(named.config == nil)
    #expect(
        named.diagnostics == [
            "outguard.yaml:1:14: error: `match: hmac` needs a key, but `LOG_KEY` is not set\n    fix: set `LOG_KEY` to a long random secret (`openssl rand -hex 32`), or choose another `match`"
        ])
}

@Test func theHMACKeyIsReadFromTheVariableTheFileNames() throws {
    let standard = try ServerConfigFixture(
        "log: {path: v.jsonl, match: hmac}", environment: ["OUTGUARD_LOG_HMAC_KEY": "s3cret"])
    // The key's variable is no misspelt setting.
    #expect(standard.diagnostics == [])
    #expect(standard.config?.log.match == .hmac)
    #expect(standard.config?.log.hmacKey == Array("s3cret".utf8))
    let named = try ServerConfigFixture(
        "log: {path: v.jsonl, match: hmac, hmac_key_env: LOG_KEY}", environment: ["LOG_KEY": "other"])
    #expect(named.diagnostics == [])
    #expect(named.config?.log.hmacKeyEnv == "LOG_KEY")
    #expect(named.config?.log.hmacKey == Array("other".utf8))
    // Without `match: hmac` the key is not read, and not needed.
    let masked = try ServerConfigFixture("log: {path: v.jsonl}", environment: ["OUTGUARD_LOG_HMAC_KEY": "s3cret"])
    #expect(masked.config?.log.hmacKey == [])
}
