import Foundation
import Hummingbird
import HummingbirdTesting
import OutguardConfig
import OutguardLog

@testable import OutguardAdmin

/// One admin listener over a temporary violation log: the log holds `records` (written
/// with the log's own encoder, as the writer writes them), and a real `LogWriter`
/// appends label posts to the same file.
final class AdminFixture: Sendable {
    static let token = "test-token-7f3a"

    let folder: String
    let logPath: String
    let writer: LogWriter<LogRecord>
    let server: AdminServer

    init(
        records: [LogRecord], token: String? = AdminFixture.token, logConfigured: Bool = true,
        metrics: MetricsEndpoint? = nil
    ) throws {
        folder =
            FileManager.default.temporaryDirectory.appendingPathComponent("outguard-admin-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        logPath = "\(folder)/violations.jsonl"
        try Data(records.flatMap { $0.encodedLine() }).write(to: URL(fileURLWithPath: logPath))
        var log = LogConfig()
        log.path = logPath
        writer = LogWriter<LogRecord>(log.violationFile!)
        server = AdminServer(
            config: AdminConfig(listen: ListenAddress(host: "127.0.0.1", port: 0), tokenEnv: "OUTGUARD_ADMIN_TOKEN"),
            token: token, logPath: logConfigured ? logPath : nil, writer: logConfigured ? writer : nil,
            logger: .init(label: "test"), metrics: metrics)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Runs `body` against the router, without a socket.
    func test<Value: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        let app = Application(router: try server.makeRouter())
        return try await app.test(.router, body)
    }

    /// The log's records once every label post is on disk.
    func writtenRecords() async throws -> [[String: Any]] {
        await writer.close()
        return try String(contentsOfFile: logPath, encoding: .utf8).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:]
        }
    }
}

/// The headers of a signed-in script.
let bearer: HTTPFields = [.authorization: "Bearer \(AdminFixture.token)"]

extension TestResponse {
    var text: String { String(decoding: body.readableBytesView, as: UTF8.self) }
}

/// A violation as the proxy records it; `minutesAgo` places it in time.
func violation(
    _ requestID: String, rule: String, pack: String, mode: String = "enforce", severity: String = "medium",
    minutesAgo: Double = 5, match: String = "t***@e******.jp", context: String = "…連絡先は [EMAIL] です…"
) -> LogRecord {
    var record = LogRecord(ts: Date().addingTimeInterval(-minutesAgo * 60), event: .violation)
    record.requestID = requestID
    record.policy = "default"
    record.pack = pack
    record.rule = rule
    record.action = "redact"
    record.mode = mode
    record.severity = severity
    record.provider = "openai.chat"
    record.model = "gpt-4o-mini"
    record.stream = false
    record.choice = 0
    record.span = [10, 25]
    record.match = match
    record.context = context
    return record
}

func feedback(_ requestID: String, rule: String, label: LogRecord.Label, minutesAgo: Double = 1) -> LogRecord {
    var record = LogRecord(ts: Date().addingTimeInterval(-minutesAgo * 60), event: .feedback)
    record.requestID = requestID
    record.rule = rule
    record.label = label
    record.source = "api"
    return record
}

/// The numbers of one rule's line in the per-rule table, in column order.
func ruleLine(_ rule: String, in html: String) -> [String]? {
    guard let start = html.range(of: "<tr data-rule=\"\(rule)\">"),
        let end = html.range(of: "</tr>", range: start.upperBound..<html.endIndex)
    else { return nil }
    let line = html[start.upperBound..<end.lowerBound]
    return line.components(separatedBy: "<td class=\"number\">").dropFirst().map {
        String($0.prefix { $0 != "<" })
    }
}

/// The request ids of the listed findings, top to bottom.
func listedRequests(in html: String) -> [String] {
    html.components(separatedBy: "<tr class=\"finding\" data-request=\"").dropFirst().map {
        String($0.prefix { $0 != "\"" })
    }
}

/// The page's form token, as a label button posts it.
func formToken(in html: String) -> String? {
    html.components(separatedBy: "name=\"form_token\" value=\"").dropFirst().first.map {
        String($0.prefix { $0 != "\"" })
    }
}
