import Foundation
import Testing

@testable import OutguardLog

@Suite struct LogFollowerTests {
    /// Appends to a file the way the writer does: open, write at the end, close.
    private func append(_ text: String, to path: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    /// The follower reads what is there, then what is appended (also a line written in
    /// two pieces), a line written just before the file is rotated, the new file after
    /// the rotation, and the file again after it is truncated in place.
    @Test func followsAppendsRotationAndTruncation() async throws {
        let folder = try SampleLog.folder(["v.jsonl": SampleLog.line("og-1") + "\n" + SampleLog.line("og-2") + "\n"])
        let path = folder.appendingPathComponent("v.jsonl").path
        let deadline = ContinuousClock.now + .seconds(20)
        var events: [String] = []
        let follower = LogFollower(paths: [path], pollInterval: .milliseconds(5))
        try await follower.follow(until: { events.last == "og-6" || ContinuousClock.now > deadline }) { event in
            switch event {
            case .caughtUp:
                events.append("caught up")
                try append(SampleLog.line("og-3") + "\n", to: path)
                try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
                try (SampleLog.line("og-4") + "\n" + pieces(of: "og-5").start).write(
                    toFile: path, atomically: false, encoding: .utf8)
            case .record(let record):
                events.append(record.requestID ?? "-")
                if record.requestID == "og-4" { try append(pieces(of: "og-5").rest + "\n", to: path) }
                if record.requestID == "og-5" {
                    try (SampleLog.line("og-6") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
                }
            case .skipped(let line):
                events.append("skipped \(line)")
            }
        }
        #expect(events == ["og-1", "og-2", "caught up", "og-3", "og-4", "og-5", "og-6"])
    }

    @Test func aFileThatDoesNotExistYetIsWaitedFor() async throws {
        let folder = try SampleLog.folder()
        let path = folder.appendingPathComponent("v.jsonl").path
        let deadline = ContinuousClock.now + .seconds(20)
        var events: [String] = []
        try await LogFollower(paths: [path], pollInterval: .milliseconds(5)).follow(
            until: { events.count == 3 || ContinuousClock.now > deadline }
        ) { event in
            switch event {
            case .caughtUp:
                events.append("caught up")
                try (SampleLog.line("og-1") + "\nnot a record\n").write(
                    toFile: path, atomically: false, encoding: .utf8)
            case .record(let record): events.append(record.requestID ?? "-")
            case .skipped(let line): events.append("skipped \(line.line)")
            }
        }
        #expect(events == ["caught up", "og-1", "skipped 2"])
    }

    private func pieces(of requestID: String) -> (start: Substring, rest: Substring) {
        let line = SampleLog.line(requestID)
        return (line.prefix(30), line.dropFirst(30))
    }
}
