/// The keys of `outguard.yaml`, section by section, and how to write each: the parser
/// checks against them and fix sentences show the examples.
enum ServerConfigSchema {
    /// A mapping of the config file whose keys are fixed.
    enum Section: String {
        case top, policy, blocked, log, capture, admin, reload, limits, timeouts

        /// The keys, in the order the docs list them.
        var keys: [String] {
            switch self {
            case .top:
                ["listen", "upstream", "rules", "policies", "blocked", "log", "admin", "reload", "fail_mode",
                 "unknown_routes", "workers", "limits", "timeouts"]
            case .policy: ["packs", "rules", "mode", "scan_tool_arguments"]
            case .blocked: ["response"]
            case .log: ["path", "match", "hmac_key_env", "flush_ms", "max_bytes", "keep", "queue_size", "capture"]
            case .capture: ["path", "findings", "sample_rate"]
            case .admin: ["listen", "token_env"]
            case .reload: ["watch", "interval_ms"]
            case .limits: ["max_request_bytes", "max_response_bytes", "max_header_bytes", "upstream_connections"]
            case .timeouts: ["connect_ms", "response_ms", "idle_ms", "shutdown_grace_ms"]
            }
        }

        /// How the section is named in "the keys of … are".
        var owner: String {
            switch self {
            case .top: "the config file"
            case .policy: "a policy"
            default: "`\(rawValue)`"
            }
        }
    }

    /// How to write `key` of `section`, for fix sentences.
    static func example(for key: String, in section: Section) -> String {
        examples["\(section.rawValue).\(key)"] ?? "\(key): …"
    }

    private static let examples: [String: String] = [
        "top.listen": "listen: 127.0.0.1:8080",
        "top.upstream": "upstream: http://vllm:8000",
        "top.rules": "rules: [rules/]",
        "top.policies": "policies: {default: {packs: [pii, secrets]}}",
        "top.blocked": "blocked: {response: refusal}",
        "top.log": "log: {path: var/violations.jsonl}",
        "top.admin": "admin: {listen: 127.0.0.1:9901, token_env: OUTGUARD_ADMIN_TOKEN}",
        "top.reload": "reload: {watch: true, interval_ms: 1000}",
        "top.fail_mode": "fail_mode: closed",
        "top.unknown_routes": "unknown_routes: pass",
        "top.workers": "workers: 2",
        "top.limits": "limits: {max_request_bytes: 10MB}",
        "top.timeouts": "timeouts: {connect_ms: 5000}",
        "policy.packs": "packs: [pii, secrets]",
        "policy.rules": "rules: [pii.email]",
        "policy.mode": "mode: shadow",
        "policy.scan_tool_arguments": "scan_tool_arguments: true",
        "blocked.response": "response: refusal",
        "log.path": "path: var/violations.jsonl",
        "log.match": "match: masked",
        "log.hmac_key_env": "hmac_key_env: OUTGUARD_LOG_HMAC_KEY",
        "log.flush_ms": "flush_ms: 200",
        "log.max_bytes": "max_bytes: 100MiB",
        "log.keep": "keep: 5",
        "log.queue_size": "queue_size: 65536",
        "log.capture": "capture: {path: var/capture.jsonl}",
        "capture.path": "path: var/capture.jsonl",
        "capture.findings": "findings: true",
        "capture.sample_rate": "sample_rate: 0.01",
        "admin.listen": "listen: 127.0.0.1:9901",
        "admin.token_env": "token_env: OUTGUARD_ADMIN_TOKEN",
        "reload.watch": "watch: true",
        "reload.interval_ms": "interval_ms: 1000",
        "limits.max_request_bytes": "max_request_bytes: 10MB",
        "limits.max_response_bytes": "max_response_bytes: 50MB",
        "limits.max_header_bytes": "max_header_bytes: 64KB",
        "limits.upstream_connections": "upstream_connections: 256",
        "timeouts.connect_ms": "connect_ms: 5000",
        "timeouts.response_ms": "response_ms: 120000",
        "timeouts.idle_ms": "idle_ms: 300000",
        "timeouts.shutdown_grace_ms": "shutdown_grace_ms: 30000",
    ]
}
