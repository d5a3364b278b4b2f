import Foundation
import Logging
import Testing

@testable import OutguardCLI

/// The daemon's own log lines, in both formats.
@Suite struct DaemonLogHandlerTests {
    @Test func textLinesNameTheLevelOnlyWhenItMatters() {
        #expect(DaemonLogHandler.text(level: .info, message: "reloaded", fields: [:]) == "outguard: reloaded")
        #expect(
            DaemonLogHandler.text(level: .warning, message: "`workers` changed", fields: ["b": "2", "a": "1"])
                == "outguard: warning: `workers` changed (a: 1; b: 2)")
        #expect(DaemonLogHandler.text(level: .critical, message: "x", fields: [:]) == "outguard: error: x")
    }

    @Test func jsonLinesAreOneObjectWithTheMetadataAsFields() throws {
        let line = DaemonLogHandler.json(
            level: .error, message: "rules/a.yaml:3:1: bad \"quote\"\nnext", fields: ["trigger": "signal"],
            label: "OutguardProxy")
        #expect(!line.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["level"] as? String == "error")
        #expect(object["message"] as? String == "rules/a.yaml:3:1: bad \"quote\"\nnext")
        #expect(object["trigger"] as? String == "signal")
        #expect(object["source"] as? String == "OutguardProxy")
        #expect((object["ts"] as? String)?.hasSuffix("Z") == true)
    }

    @Test func theEnvironmentChoosesFormatAndLevel() throws {
        let (format, level) = try DaemonLogHandler.settings(from: ["OUTGUARD_LOG_FORMAT": "JSON", "OUTGUARD_LOG_LEVEL": "debug"]).get()
        #expect(format == .json && level == .debug)
        let defaults = try DaemonLogHandler.settings(from: [:]).get()
        #expect(defaults.0 == .text && defaults.1 == .info)
        #expect(throws: CommandFailure.self) { try DaemonLogHandler.settings(from: ["OUTGUARD_LOG_LEVEL": "loud"]).get() }
    }
}
