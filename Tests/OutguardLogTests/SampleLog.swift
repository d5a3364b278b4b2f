import Foundation

/// A small hand-written log whose summary numbers are worked out in the tests, and
/// temporary folders to put logs in.
enum SampleLog {
    /// Three requests over two days: og-1 hits pii.email twice (enforced), og-2 hits
    /// pii.email (enforced) and brand.competitors (shadow), og-3 brand.competitors
    /// (shadow). Feedback: og-1 pii.email correct; og-2 without a rule false_positive
    /// (so for both its rules); og-3 brand.competitors false_positive; og-9 (no other
    /// record) pii.phone-jp false_negative. A reload and an engine error count for nothing.
    static let lines = [
        #"{"ts":"2026-11-29T07:00:00.100Z","event":"violation","request_id":"og-1","policy":"default","ruleset":"sha256:aaa","pack":"pii","rule":"pii.email","action":"redact","mode":"enforce","severity":"medium","provider":"openai.chat","model":"gpt-4o-mini","stream":true,"choice":0,"span":[10,25],"match":"t***@e******.jp","context":"連絡先は [EMAIL] です"}"#,
        #"{"ts":"2026-11-29T07:00:00.200Z","event":"violation","request_id":"og-1","pack":"pii","rule":"pii.email","action":"redact","mode":"enforce","model":"gpt-4o-mini","match":"h***@e******.com","context":"write to [EMAIL], \"soon\""}"#,
        #"{"ts":"2026-11-29T07:00:00.300Z","event":"request","request_id":"og-1","action":"redact","model":"gpt-4o-mini","rules":["pii.email"],"findings":2,"upstream_status":200,"latency_ms":12.5}"#,
        #"{"ts":"2026-11-29T08:00:00.000Z","event":"violation","request_id":"og-2","pack":"pii","rule":"pii.email","action":"redact","mode":"enforce","model":"gpt-4o"}"#,
        #"{"ts":"2026-11-29T08:00:00.001Z","event":"violation","request_id":"og-2","pack":"brand","rule":"brand.competitors","action":"block","mode":"shadow","model":"gpt-4o"}"#,
        #"{"ts":"2026-11-30T09:00:00.000Z","event":"violation","request_id":"og-3","pack":"brand","rule":"brand.competitors","action":"block","mode":"shadow","model":"gpt-4o-mini"}"#,
        #"{"ts":"2026-11-30T10:00:00.000Z","event":"feedback","request_id":"og-1","rule":"pii.email","label":"correct","source":"review"}"#,
        #"{"ts":"2026-11-30T10:00:01.000Z","event":"feedback","request_id":"og-2","label":"false_positive","source":"api"}"#,
        #"{"ts":"2026-11-30T10:00:02.000Z","event":"feedback","request_id":"og-3","rule":"brand.competitors","label":"false_positive","note":"our own product","source":"cli"}"#,
        #"{"ts":"2026-11-30T11:00:00.000Z","event":"feedback","request_id":"og-9","rule":"pii.phone-jp","pack":"pii","label":"false_negative","source":"api"}"#,
        #"{"ts":"2026-11-30T12:00:00.000Z","event":"reload","ruleset":"sha256:bbb","old_ruleset":"sha256:aaa"}"#,
        #"{"ts":"2026-11-30T12:00:01.000Z","event":"engine_error","request_id":"og-4","pack":"pii","rule":"pii.card","detail":"match limit"}"#,
    ]

    static var text: String { lines.joined(separator: "\n") + "\n" }

    /// Writes `files` (name → content) into a new temporary folder.
    static func folder(_ files: [String: String] = [:]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("outguard-log-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, content) in files {
            try content.write(to: folder.appendingPathComponent(name), atomically: false, encoding: .utf8)
        }
        return folder
    }

    /// A record line with just what identifies it in ordering tests.
    static func line(_ requestID: String, second: Int = 0) -> String {
        #"{"ts":"2026-11-29T07:00:\#(second < 10 ? "0" : "")\#(second).000Z","event":"violation","request_id":"\#(requestID)","rule":"pii.email","mode":"enforce"}"#
    }
}
