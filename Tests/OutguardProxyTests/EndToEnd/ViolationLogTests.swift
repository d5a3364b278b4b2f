import Foundation
import NIOHTTP1
import OutguardConfig
import OutguardLog
import Testing

@testable import OutguardProxy

/// The violation log, end to end: what the real proxy writes for each API shape, what it
/// never writes (raw secrets), the capture file, and feedback on the main listener.
@Suite(.timeLimit(.minutes(1))) struct ViolationLogTests {
    /// A fresh folder for one test's log and capture files.
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("og-log-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func logging(to folder: URL, capture: Bool = false) -> (inout ServerConfig) -> Void {
        { config in
            config.log.path = folder.appendingPathComponent("violations.jsonl").path
            if capture { config.log.capture = CaptureConfig(path: folder.appendingPathComponent("capture.jsonl").path) }
        }
    }

    /// The records on disk (read after the proxy stopped, when the writer has drained).
    static func records(in folder: URL) throws -> [[String: Any]] {
        let text = try String(contentsOf: folder.appendingPathComponent("violations.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test(arguments: Provider.allCases, [false, true])
    func everyFindingBecomesAMaskedRecordAndTheResponseASummary(provider: Provider, stream: Bool) async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let requestID = try await E2E.run(
            configure: Self.logging(to: folder), upstream: NoLeakTests.answering(provider, Answers.leaky)
        ) { e2e in
            let response = try await e2e.send(provider.request(stream: stream))
            #expect(response.action == "redact")
            return try #require(response.headers.first(name: "Outguard-Request-Id"))
        }
        let log = try String(contentsOf: folder.appendingPathComponent("violations.jsonl"), encoding: .utf8)
        for part in NoLeakTests.secretParts { #expect(!log.contains(part), "\(part) reached the log") }

        let records = try Self.records(in: folder)
        let violations = records.filter { $0["event"] as? String == "violation" }
        #expect(
            Set(violations.compactMap { $0["rule"] as? String }) == [
                "pii.email", "secrets.openai-key", "profanity-en.words",
            ])
        for record in violations {
            #expect(record["request_id"] as? String == requestID)
            #expect(record["provider"] as? String == provider.rawValue)
            #expect(record["stream"] as? Bool == stream)
            #expect(record["mode"] as? String == "enforce")
            #expect((record["ruleset"] as? String)?.hasPrefix("sha256:") == true)
            #expect(record["choice"] as? Int == 0)
        }
        let email = try #require(violations.first { $0["rule"] as? String == "pii.email" })
        #expect(email["match"] as? String == "t***.y*****@e******.c*.jp")
        #expect(email["span"] as? [Int] == [5, 30])
        let context = try #require(email["context"] as? String)
        #expect(context.hasPrefix("Mail t***.y*****@e******.c*.jp — 日本語OK"))

        let summaries = records.filter { $0["event"] as? String == "request" }
        #expect(summaries.count == 1)
        #expect(summaries.first?["action"] as? String == "redact")
        #expect(summaries.first?["findings"] as? Int == violations.count)
        #expect(summaries.first?["upstream_status"] as? Int == 200)
    }

    @Test func shadowFindingsAreLoggedAsShadowAndCleanAnswersAreNot() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await E2E.run(
            configure: Self.logging(to: folder), upstream: NoLeakTests.answering(.openAIChat, [Answers.leaky[0]])
        ) { e2e in
            _ = try await e2e.send(Provider.openAIChat.request(stream: true, headers: [("Outguard-Policy", "shadow")]))
        }
        try await E2E.run(
            configure: Self.logging(to: folder), upstream: NoLeakTests.answering(.openAIChat, ["Nothing to see."])
        ) { e2e in
            _ = try await e2e.send(Provider.openAIChat.request(stream: false))
        }
        let records = try Self.records(in: folder)
        #expect(!records.isEmpty)
        #expect(records.allSatisfy { $0["policy"] as? String == "shadow" })
        #expect(
            records.filter { $0["event"] as? String == "violation" }.allSatisfy { $0["mode"] as? String == "shadow" })
        #expect(records.first { $0["event"] as? String == "request" }?["action"] as? String == "shadow")
    }

    @Test func captureKeepsTheOriginalTextOwnerReadableOnly() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await E2E.run(
            configure: Self.logging(to: folder, capture: true),
            upstream: NoLeakTests.answering(.anthropicMessages, [Answers.leaky[0]])
        ) { e2e in
            _ = try await e2e.send(Provider.anthropicMessages.request(stream: true))
        }
        let path = folder.appendingPathComponent("capture.jsonl").path
        let mode = try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        let line = try #require(try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").first)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            return try Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true))
        }
        let captured = try decoder.decode(CapturedResponse.self, from: Data(line.utf8))
        #expect(captured.provider == "anthropic.messages" && captured.stream && captured.hadFindings)
        #expect(captured.segments.map(\.text) == [Answers.leaky[0]])
    }

    @Test func findingsOfAStreamTheClientLeftAreStillLogged() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let provider = Provider.openAIChat
        var stalling = ScriptedResponse.stream(provider, chunks: Array(provider.frames([Answers.leaky[0]]).prefix(6)))
        stalling.ending = .hang
        try await E2E.run(configure: Self.logging(to: folder), upstream: { [stalling] _ in stalling }) { e2e in
            try await e2e.connection { connection in
                try await connection.write(provider.request(stream: true))
                #expect(try await connection.readHead().status == .ok)
            }
            #expect(await Bounded.eventually(within: .seconds(3)) { e2e.upstream.closedConnections.contains(0) })
        }
        let records = try Self.records(in: folder)
        #expect(records.contains { $0["event"] as? String == "violation" && $0["rule"] as? String == "pii.email" })
        #expect(records.filter { $0["event"] as? String == "request" }.count == 1)
    }

    // MARK: Feedback

    static func feedback(_ json: String, method: HTTPMethod = .POST) -> TestRequest {
        var request = TestRequest(method: method, uri: FeedbackRequest.path, body: Array(json.utf8))
        request.headers.add(name: "Content-Type", value: "application/json")
        return request
    }

    @Test func feedbackAboutAServedResponseBecomesARecord() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await E2E.run(
            configure: Self.logging(to: folder), upstream: NoLeakTests.answering(.openAIChat, [Answers.leaky[0]])
        ) { e2e in
            _ = try await e2e.send(Provider.openAIChat.request(stream: false, headers: [("X-Request-Id", "req-42")]))
            let accepted = try await e2e.send(
                Self.feedback(#"{"request_id":"req-42","rule":"pii.email","label":"false_positive","note":"a test"}"#))
            #expect(accepted.status == .accepted)
            #expect(accepted.text == #"{"recorded":true,"request_id":"req-42"}"#)
        }
        let feedback = try Self.records(in: folder).filter { $0["event"] as? String == "feedback" }
        #expect(feedback.count == 1)
        #expect(feedback.first?["request_id"] as? String == "req-42")
        #expect(feedback.first?["rule"] as? String == "pii.email")
        #expect(feedback.first?["label"] as? String == "false_positive")
        #expect(feedback.first?["note"] as? String == "a test")
        #expect(feedback.first?["source"] as? String == "api")
    }

    @Test(arguments: [
        (#"{"request_id":"never-served","label":"correct"}"#, "unknown_request_id"),
        (#"{"request_id":"req-7","label":"wrong"}"#, "invalid_feedback"),
        (#"{"label":"correct"}"#, "invalid_feedback"),
        (#"{"request_id":"req-7","label":"correct","rule":"no.such-rule"}"#, "unknown_rule"),
        (#"{"request_id":"req-7","label":"correct","note":5}"#, "invalid_feedback"),
        ("not json", "invalid_feedback"),
    ])
    func badFeedbackIsRefusedWithAClearError(body: String, code: String) async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await E2E.run(
            configure: Self.logging(to: folder), upstream: NoLeakTests.answering(.openAIChat, ["Fine."])
        ) { e2e in
            _ = try await e2e.send(Provider.openAIChat.request(stream: false, headers: [("X-Request-Id", "req-7")]))
            let refused = try await e2e.send(Self.feedback(body))
            #expect(refused.status == .badRequest)
            let error = try #require(
                try JSONSerialization.jsonObject(with: Data(refused.body)) as? [String: [String: Any]])
            #expect(error["error"]?["code"] as? String == code)
            #expect((error["error"]?["message"] as? String)?.isEmpty == false)
        }
        let records = (try? Self.records(in: folder)) ?? []
        #expect(!records.contains { $0["event"] as? String == "feedback" })
    }

    @Test func feedbackNeedsPostAndAConfiguredLog() async throws {
        try await E2E.run(upstream: NoLeakTests.answering(.openAIChat, ["Fine."])) { e2e in
            let noLog = try await e2e.send(Self.feedback(#"{"request_id":"x","label":"correct"}"#))
            #expect(noLog.status == .serviceUnavailable)
            #expect(noLog.text.contains("log.path"))
            let get = try await e2e.send(Self.feedback("", method: .GET))
            #expect(get.status == .methodNotAllowed)
        }
    }
}
