import Foundation

/// Turns the rule paths a user gave (files and folders) into the rule files to read.
///
/// A folder means every `*.yaml` and `*.yml` below it, in sorted order. Names starting
/// with `.` are skipped: Kubernetes mounts a ConfigMap as `..data/` plus links to it, and
/// reading both would load every rule twice.
struct RuleFileFinder {
    private(set) var files: [String] = []
    private(set) var diagnostics: [Diagnostic] = []
    /// Resolved paths already listed, so a file named twice (or a linked folder) loads once.
    private var seen: Set<String> = []

    init(paths: [String]) {
        for path in paths { add(path) }
    }

    private mutating func add(_ path: String) {
        switch kind(of: path) {
        case .file:
            addFile(path)
        case .folder:
            let found = yamlFiles(under: path)
            if found.isEmpty {
                diagnostics.append(Diagnostic(
                    .warning, at: Self.start(of: path), "the folder has no `.yaml` or `.yml` files",
                    fix: "put rule files in it, or remove it from the rule paths"))
            }
            found.sorted().forEach { addFile($0) }
        case nil:
            diagnostics.append(Diagnostic(
                .error, at: Self.start(of: path), "no such file or folder",
                fix: "check the path; a relative path starts from the current folder"))
        }
    }

    private mutating func addFile(_ path: String) {
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
        if seen.insert(resolved).inserted { files.append(path) }
    }

    private func yamlFiles(under folder: String) -> [String] {
        var found: [String] = []
        var folders = [folder]
        var visited: Set<String> = []
        while let current = folders.popLast() {
            // A link back to a parent folder must not send the walk round forever.
            let resolved = URL(fileURLWithPath: current).resolvingSymlinksInPath().standardizedFileURL.path
            guard visited.insert(resolved).inserted else { continue }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: current)) ?? []
            for name in names where !name.hasPrefix(".") {
                let path = current.hasSuffix("/") ? current + name : current + "/" + name
                switch kind(of: path) {
                case .folder: folders.append(path)
                case .file where name.hasSuffix(".yaml") || name.hasSuffix(".yml"): found.append(path)
                default: break
                }
            }
        }
        return found
    }

    private enum Kind { case file, folder }

    private func kind(of path: String) -> Kind? {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return nil }
        return isFolder.boolValue ? .folder : .file
    }

    /// Problems with a path as a whole point at its start.
    static func start(of path: String) -> SourceLocation {
        SourceLocation(file: path, line: 1, column: 1)
    }
}
