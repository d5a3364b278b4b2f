import Foundation
import OutguardTestSupport
import Synchronization
import Testing

/// `outguard serve` as a process, as systemd or a container runs it: SIGHUP reloads, the
/// daemon's own log is JSON lines when asked, SIGTERM stops it cleanly.
@Suite(.timeLimit(.minutes(1))) struct ServeCommandTests {
    /// A running `outguard serve` and what it has written to standard error so far.
    final class Daemon: Sendable {
        let process: Process
        private let errors = Output()

        /// Filled by the pipe's reader thread, read by the test.
        private final class Output: Sendable {
            let text = Mutex("")
        }

        init(arguments: [String], environment: [String: String]) throws {
            process = Process()
            process.executableURL = CLI.binary
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
            let pipe = Pipe()
            process.standardError = pipe
            process.standardOutput = FileHandle.nullDevice
            pipe.fileHandleForReading.readabilityHandler = { [errors] handle in
                let data = handle.availableData
                errors.text.withLock { $0 += String(decoding: data, as: UTF8.self) }
            }
            try process.run()
        }

        var stderr: String { errors.text.withLock { $0 } }

        /// Waits (bounded) until standard error contains `text`.
        func waitFor(_ text: String, within seconds: Double = 10) async -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while !stderr.contains(text) {
                guard Date() < deadline, process.isRunning else { return stderr.contains(text) }
                try? await Task.sleep(for: .milliseconds(20))
            }
            return true
        }

        /// SIGTERM, then waits (bounded) for the exit; SIGKILL if it does not come.
        func stop() async -> Int32? {
            process.terminate()
            for _ in 0..<500 where process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
            guard !process.isRunning else {
                kill(process.processIdentifier, SIGKILL)
                return nil
            }
            return process.terminationStatus
        }
    }

    static func rules(_ word: String) -> String {
        "pack: words\nrules:\n  - id: words.\(word)\n    type: lexicon\n    terms: [\(word)]\n    action: redact\n"
    }

    @Test func sighupReloadsAndTheDaemonLogIsJSONLines() async throws {
        let folder = try CLI.folder([
            "outguard.yaml": """
                listen: 127.0.0.1:0
                rules: [rules/]
                log: {path: violations.jsonl, flush_ms: 20}
                reload: {watch: false}
                """,
            "rules/words.yaml": Self.rules("alpha"),
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let daemon = try Daemon(
            arguments: ["serve", "--config", folder.appendingPathComponent("outguard.yaml").path],
            environment: ["OUTGUARD_LOG_FORMAT": "json"])
        #expect(await daemon.waitFor("listening on"), "the daemon did not start: \(daemon.stderr)")

        try Self.rules("beta").write(
            to: folder.appendingPathComponent("rules/words.yaml"), atomically: true, encoding: .utf8)
        kill(daemon.process.processIdentifier, SIGHUP)
        #expect(await daemon.waitFor("\"reloaded\""), "SIGHUP did not reload: \(daemon.stderr)")
        // A broken file: the reload fails, the daemon stays up and says where.
        try "pack: words\nrules: [\n".write(
            to: folder.appendingPathComponent("rules/words.yaml"), atomically: true, encoding: .utf8)
        kill(daemon.process.processIdentifier, SIGHUP)
        #expect(await daemon.waitFor("reload failed"), "the failed reload was not reported: \(daemon.stderr)")
        #expect(daemon.process.isRunning)
        #expect(await daemon.stop() == 0)

        let lines = daemon.stderr.split(separator: "\n")
        #expect(lines.count >= 4)
        for line in lines {
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["ts"] is String && object?["level"] is String && object?["message"] is String, "\(line)")
        }
        #expect(daemon.stderr.contains("words.yaml:3:"), "the diagnostic names file:line:col")
        let log = try String(contentsOf: folder.appendingPathComponent("violations.jsonl"), encoding: .utf8)
        #expect(log.contains(#""event":"reload""#) && log.contains(#""source":"signal""#))
    }

    @Test func aHookThatDoesNotAnswerIsAWarningAfterStartUp() async throws {
        let refusing = try RefusingPort()
        defer { withExtendedLifetime(refusing) {} }
        let url = "http://127.0.0.1:\(refusing.port)/v1/classify"
        let folder = try CLI.folder([
            "outguard.yaml": "listen: 127.0.0.1:0\nrules: [rules/]\nreload: {watch: false}\n",
            "rules/words.yaml": Self.rules("alpha") + "hooks:\n  judge: {url: \"\(url)\", protocol: outguard}\n",
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let daemon = try Daemon(
            arguments: ["serve", "--config", folder.appendingPathComponent("outguard.yaml").path], environment: [:])
        #expect(await daemon.waitFor("listening on"), "the daemon did not start: \(daemon.stderr)")
        #expect(
            await daemon.waitFor(
                "words.yaml:8:3: hook `judge` does not answer at \(url) (unreachable: "),
            "\(daemon.stderr)")
        #expect(daemon.stderr.contains("classifier rules that use it will follow its on_error (allow) until it does"))
        #expect(await daemon.stop() == 0)
    }

    /// Each answer's memory is given back: thousands more answers, streamed and not,
    /// leave the daemon's resident memory where the first few hundred left it. (A
    /// stream's filter once kept itself alive through its own callback, about 64 KB a
    /// stream, and nothing else noticed.)
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/status")))
    func memoryStaysFlatOverThousandsOfAnswers() async throws {
        let folder = try CLI.folder([
            "outguard.yaml": "listen: 127.0.0.1:0\nupstream: mock:echo\nrules: [rules/]\nreload: {watch: false}\n",
            "rules/words.yaml": Self.rules("alpha"),
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let daemon = try Daemon(
            arguments: ["serve", "--config", folder.appendingPathComponent("outguard.yaml").path], environment: [:])
        #expect(await daemon.waitFor("listening on"), "the daemon did not start: \(daemon.stderr)")
        let portText = try #require(
            daemon.stderr.firstMatch(of: /listening on http:\/\/127\.0\.0\.1:(\d+)/).map { String($0.1) })
        let port = try #require(Int(portText))
        // mock:echo answers with the question, one word an event.
        let text = "The alpha release ships on Monday with notes for every team."

        /// `count` answers over four clients at once, every other one streamed; each must
        /// come back with the word redacted.
        func answers(_ count: Int) throws {
            let failures = Mutex<[String]>([])
            DispatchQueue.concurrentPerform(iterations: 4) { worker in
                for number in stride(from: worker, to: count, by: 4) {
                    let stream = number % 2 == 0
                    let body = #"{"model":"m","stream":\#(stream),"messages":[{"role":"user","content":"\#(text)"}]}"#
                    let answer = (try? LoopbackHTTP.post(port: port, path: "/v1/chat/completions", json: body)) ?? ""
                    guard answer.hasPrefix("HTTP/1.1 200"), answer.contains("[REDACTED]"), !answer.contains("alpha")
                    else {
                        failures.withLock { $0.append(String(answer.prefix(300))) }
                        return
                    }
                }
            }
            let found = failures.withLock { $0 }
            guard found.isEmpty else { throw Unexpected(answer: found[0]) }
        }
        try answers(400)
        let before = try Self.residentKilobytes(of: daemon.process.processIdentifier)
        try answers(3_000)
        let after = try Self.residentKilobytes(of: daemon.process.processIdentifier)
        // 1,500 streams leaking even 8 KB each would be 12 MB.
        #expect(after - before < 12_000, "resident memory grew from \(before) KB to \(after) KB")
        #expect(await daemon.stop() == 0)
    }

    struct Unexpected: Error, CustomStringConvertible {
        var answer: String
        var description: String { "unexpected answer: \(answer.prefix(300))" }
    }

    /// VmRSS of a process, in kilobytes.
    static func residentKilobytes(of pid: Int32) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let value = status.firstMatch(of: /VmRSS:\s+(\d+) kB/).flatMap { Int($0.1) }
        return try #require(value, "no VmRSS in /proc/\(pid)/status")
    }

    @Test func anUnknownLogFormatIsAnErrorThatSaysWhatToWrite() throws {
        let result = try CLI.run(["serve", "--listen", "127.0.0.1:0"], environment: ["OUTGUARD_LOG_FORMAT": "xml"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("OUTGUARD_LOG_FORMAT is `xml`: write `text` or `json`"))
    }
}
