/// Resolves the paths a config file names against the file's folder, so the daemon finds
/// its rules and log wherever it is started from. Absolute paths are kept; relative results
/// stay relative, so diagnostics print short paths like `rules/pii.yaml`.
struct ConfigPaths {
    /// `nil` when the file is in the current folder.
    private let folder: String?

    init(configFile: String) {
        guard let slash = configFile.lastIndex(of: "/") else {
            folder = nil
            return
        }
        let folder = String(configFile[..<slash])
        self.folder = folder.isEmpty ? "/" : (folder == "." ? nil : folder)
    }

    func resolve(_ path: String) -> String {
        guard let folder, !path.hasPrefix("/") else { return path }
        return folder.hasSuffix("/") ? folder + path : folder + "/" + path
    }
}
