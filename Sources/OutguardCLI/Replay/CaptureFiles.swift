import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns the capture paths a user gave into the files to read. A glob
/// (`'var/*.capture.jsonl'`, quoted so that the shell leaves it alone, as log pipelines
/// name files) is expanded, and each file brings the files it was rotated into
/// (`x.capture.jsonl.1`, `.2`, …), oldest first: one argument reads all that one daemon
/// kept. A file named twice is read once.
struct CaptureFiles {
    private(set) var files: [String] = []
    /// Paths and globs that named no file.
    private(set) var unmatched: [String] = []
    private var seen: Set<String> = []

    init(paths: [String]) {
        for path in paths {
            let matches = Self.isGlob(path) ? Self.expand(path) : [path]
            guard matches.contains(where: { FileManager.default.fileExists(atPath: $0) }) else {
                unmatched.append(path)
                continue
            }
            for match in matches {
                for file in Self.rotated(from: match) + [match] where seen.insert(file).inserted {
                    files.append(file)
                }
            }
        }
    }

    private static func isGlob(_ path: String) -> Bool {
        path.contains { "*?[".contains($0) }
    }

    /// The files a glob names, sorted (glob(3) sorts them).
    private static func expand(_ pattern: String) -> [String] {
        var found = glob_t()
        defer { globfree(&found) }
        guard glob(pattern, 0, nil, &found) == 0 else { return [] }
        return (0..<Int(found.gl_pathc)).compactMap { found.gl_pathv[$0].map { String(cString: $0) } }
    }

    /// The rotated files of `path` (`path.1`, `path.2`, …), the highest number (oldest) first.
    /// A path that is itself a rotated file has none.
    private static func rotated(from path: String) -> [String] {
        let url = URL(fileURLWithPath: path)
        let name = url.lastPathComponent
        let folder = url.deletingLastPathComponent().path
        guard rotation(of: name) == nil,
            let names = try? FileManager.default.contentsOfDirectory(atPath: folder)
        else { return [] }
        let numbered = names.compactMap { other -> (number: Int, name: String)? in
            guard let number = rotation(of: other, base: name) else { return nil }
            return (number, other)
        }
        let prefix = path.hasSuffix(name) ? String(path.dropLast(name.count)) : ""
        return numbered.sorted { $0.number > $1.number }.map { prefix + $0.name }
    }

    /// `N` when `name` is `base.N` (with `base` nil: any name ending in `.N`).
    private static func rotation(of name: String, base: String? = nil) -> Int? {
        guard let dot = name.lastIndex(of: "."), base.map({ name[..<dot] == $0 }) ?? true else { return nil }
        let suffix = name[name.index(after: dot)...]
        guard !suffix.isEmpty, suffix.allSatisfy(\.isASCII), suffix.allSatisfy(\.isNumber) else { return nil }
        return Int(suffix)
    }
}
