import Foundation

/// Builds the daemon's `ServerConfig` from its three sources, later ones winning:
/// the config file, then `OUTGUARD_*` environment variables, then command-line flags.
/// It never throws and never stops early: every mistake in all three is in `diagnostics`.
public enum ServerConfigLoader {
    /// Reads the file (nil path = embedded defaults, no file), then applies overrides in
    /// order: the environment (`OUTGUARD_LISTEN`, `OUTGUARD_UPSTREAM`, `OUTGUARD_RULES`
    /// (comma-separated), `OUTGUARD_FAIL_MODE`, `OUTGUARD_BLOCKED_RESPONSE`,
    /// `OUTGUARD_LOG_PATH`, `OUTGUARD_UNKNOWN_ROUTES`, `OUTGUARD_WORKERS`), then `overrides`
    /// from command-line flags, keyed like the environment names without the prefix and
    /// lowercased (`listen`, `fail_mode`, …). `config` is nil when anything is an error.
    ///
    /// Relative paths from the file start from the file's folder; those from the environment
    /// and flags start from the current folder, as paths typed in a shell do. An environment
    /// variable set to the empty string counts as unset, as container tools pass variables
    /// that were left empty.
    public static func load(
        path: String?, environment: [String: String], overrides: [String: String]
    ) -> (config: ServerConfig?, diagnostics: [Diagnostic]) {
        var config = ServerConfig()
        var diagnostics: [Diagnostic] = []
        if let path {
            if let bytes = read(path, diagnostics: &diagnostics) {
                let parsed = ServerConfigParser.parse(bytes, path: path, environment: environment)
                config = parsed.config
                diagnostics += parsed.diagnostics
            }
        }
        diagnostics += applyEnvironment(environment, to: &config)
        diagnostics += applyFlags(overrides, to: &config)
        let failed = diagnostics.contains { $0.severity == .error }
        return (failed ? nil : config, diagnostics)
    }

    /// The keys `overrides` takes, for the command line to map its flags to:
    /// `listen`, `upstream`, `rules`, `fail_mode`, `blocked_response`, `log_path`,
    /// `unknown_routes`, `workers`.
    public static let overridableKeys = OverridableSetting.keys

    private static func read(_ path: String, diagnostics: inout [Diagnostic]) -> [UInt8]? {
        let start = SourceLocation(file: path, line: 1, column: 1)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            diagnostics.append(Diagnostic(
                .error, at: start, "no such file",
                fix: "check the path (a relative path starts from the current folder), "
                    + "or leave it out to run with the defaults"))
            return nil
        }
        guard !isFolder.boolValue else {
            let file = (path.hasSuffix("/") ? path : path + "/") + "outguard.yaml"
            diagnostics.append(Diagnostic(
                .error, at: start, "this is a folder, not a config file", fix: "name the file itself, like `\(file)`"))
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            diagnostics.append(Diagnostic(
                .error, at: start, "cannot read the file", fix: "check that outguard may read it"))
            return nil
        }
        return [UInt8](data)
    }

    private static func applyEnvironment(
        _ environment: [String: String], to config: inout ServerConfig
    ) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for setting in OverridableSetting.all {
            guard let text = environment[setting.environmentName]?.trimmingSpaces, !text.isEmpty else { continue }
            if let problem = setting.apply(text, setting.environmentName, &config) {
                diagnostics.append(problem.diagnostic(at: .environment(name: setting.environmentName)))
            }
        }
        return diagnostics + misspeltVariables(in: environment)
    }

    /// `OUTGUARD_LISTN` would silently do nothing. Only names close to a setting are
    /// reported: other `OUTGUARD_` variables (an admin token) are the user's own business.
    private static func misspeltVariables(in environment: [String: String]) -> [Diagnostic] {
        let known = OverridableSetting.all.map(\.environmentName)
        let prefix = OverridableSetting.environmentPrefix
        return environment.keys.sorted().compactMap { name in
            guard name.hasPrefix(prefix), !known.contains(name) else { return nil }
            let key = String(name.dropFirst(prefix.count)).lowercased()
            guard let close = Suggestion.closest(to: key, among: OverridableSetting.keys) else { return nil }
            let meant = OverridableSetting.all.first { $0.key == close }?.environmentName ?? close
            return Diagnostic(.warning, at: SourceLocation(file: name, line: 1, column: 1),
                              "`\(name)` is not a setting outguard reads", fix: "did you mean `\(meant)`?")
        }
    }

    private static func applyFlags(_ overrides: [String: String], to config: inout ServerConfig) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for setting in OverridableSetting.all {
            guard let text = overrides[setting.key] else { continue }
            let origin = SettingOrigin.flag(name: setting.flagName)
            if text.trimmingSpaces.isEmpty {
                diagnostics.append(Diagnostic(.error, at: origin.location, "`\(setting.flagName)` has no value",
                                              fix: "give it a value, or leave the flag out"))
            } else if let problem = setting.apply(text.trimmingSpaces, setting.flagName, &config) {
                diagnostics.append(problem.diagnostic(at: origin))
            }
        }
        // The command line maps flags to these keys; a key it gets wrong would be ignored.
        for key in overrides.keys.sorted() where !OverridableSetting.keys.contains(key) {
            let keys = OverridableSetting.keys
            let fix = Suggestion.closest(to: key, among: keys).map { "did you mean `\($0)`?" }
                ?? "the settings flags can set are: \(keys.joined(separator: ", "))"
            diagnostics.append(Diagnostic(
                .error, at: SourceLocation(file: "--\(key)", line: 1, column: 1), "unknown setting `\(key)`", fix: fix))
        }
        return diagnostics
    }
}
