import ArgumentParser
import Foundation
import OutguardConfig

/// The daemon's settings as every command reads them: the file named, else
/// `./outguard.yaml` when it exists; then `OUTGUARD_*` variables and the command's own
/// overrides. A mistake is printed (file:line:col) and ends the command.
enum DaemonConfig {
    /// The file a command reads when it is given `named` (nil: none, every key has its default).
    static func path(_ named: String?) -> String? {
        named ?? (FileManager.default.fileExists(atPath: "outguard.yaml") ? "outguard.yaml" : nil)
    }

    static func load(_ named: String?, overrides: [String: String] = [:]) throws -> ServerConfig {
        let loaded = ServerConfigLoader.load(
            path: path(named), environment: ProcessInfo.processInfo.environment, overrides: overrides)
        for diagnostic in loaded.diagnostics { Terminal.error(diagnostic.description) }
        guard let settings = loaded.config else { throw ExitCode.failure }
        return settings
    }
}
