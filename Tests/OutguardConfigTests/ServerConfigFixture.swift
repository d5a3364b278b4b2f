import OutguardConfig

/// A config file written by a test into a temporary folder (with rule files beside it when
/// given), loaded as the daemon would load it.
struct ServerConfigFixture {
    let folder: RuleFolder
    var config: ServerConfig?
    /// As a compiler prints them, with paths relative to the folder.
    var diagnostics: [String]

    init(
        _ yaml: String, files: [String: String] = [:], environment: [String: String] = [:],
        overrides: [String: String] = [:]
    ) throws {
        folder = try RuleFolder(files.merging(["outguard.yaml": yaml]) { file, _ in file })
        let loaded = ServerConfigLoader.load(path: "\(folder.path)/outguard.yaml", environment: environment, overrides: overrides)
        config = loaded.config
        diagnostics = folder.render(loaded.diagnostics)
    }

    /// A path inside the folder.
    func path(_ name: String) -> String { "\(folder.path)/\(name)" }
}

/// The diagnostics of a config file, rendered.
func configDiagnostics(
    _ yaml: String, environment: [String: String] = [:], overrides: [String: String] = [:]
) throws -> [String] {
    try ServerConfigFixture(yaml, environment: environment, overrides: overrides).diagnostics
}
