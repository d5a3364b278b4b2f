import Foundation
import OutguardConfig
import PropertyBased
import Testing

private let seed = """
    listen: "[::1]:8080"
    upstream: https://api.example.com:8443/prefix
    rules: [rules/, extra.yaml]
    policies:
      default: {packs: [pii, secrets], rules: [pii.email], mode: shadow, scan_tool_arguments: true}
      &p other: {packs: [brand]}
    blocked: {response: refusal}
    log:
      {path: var/v.jsonl, match: masked, hmac_key_env: K, flush_ms: 200, max_bytes: 1MiB, keep: 2, queue_size: 9,
       capture: {path: c.jsonl, findings: true, sample_rate: 0.5}}
    admin: {listen: 127.0.0.1:9901, token_env: OUTGUARD_ADMIN_TOKEN}
    fail_mode: closed
    unknown_routes: pass
    workers: 2
    limits: {max_request_bytes: 10MB, max_response_bytes: 1_000, max_header_bytes: 64 KiB, upstream_connections: 8}
    timeouts: {connect_ms: 5000, response_ms: 1, idle_ms: 2, shutdown_grace_ms: 3}
    """

/// Pieces that make config values interesting: separators, brackets, units, odd bytes.
private let splices = [
    ":", "[", "]", "://", "/", "@", "?", "%", " ", "-", "_", "0", "99999999999999999999", "KB", "GiB", "'", "\"",
    "{", "}", "\n", "- ", "*p", "é", "\u{0}",
]

@Test func theConfigLoaderNeverCrashesOnMangledFilesOrValues() throws {
    let folder = try RuleFolder([:])
    // Seeded, so a failure can be replayed.
    var random = Xoshiro(seed: (0xC0F1, 1, 2, 3))
    let original = Array(seed.utf8)
    for round in 0..<600 {
        var bytes = original
        for _ in 0..<Int.random(in: 1...6, using: &random) {
            if Bool.random(using: &random) {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...127, using: &random)
            } else {
                let piece = Array(splices.randomElement(using: &random)!.utf8)
                bytes.insert(contentsOf: piece, at: Int.random(in: 0...bytes.count, using: &random))
            }
        }
        try folder.write("outguard.yaml", Data(bytes))
        // The same mangled text as every flag's value.
        let text = String(decoding: bytes.prefix(Int.random(in: 0...40, using: &random)), as: UTF8.self)
        let overrides = Dictionary(uniqueKeysWithValues: ServerConfigLoader.overridableKeys.map { ($0, text) })
        let loaded = ServerConfigLoader.load(path: "\(folder.path)/outguard.yaml", environment: [:], overrides: overrides)
        #expect(loaded.config != nil || loaded.diagnostics.contains { $0.severity == .error }, "round \(round)")
        for diagnostic in loaded.diagnostics {
            #expect(diagnostic.location.line >= 1 && diagnostic.location.column >= 1, "round \(round)")
            #expect(diagnostic.fix != nil, "round \(round): \(diagnostic)")
        }
    }
}
