#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What went wrong finding or reading a log file, said so that the user can fix it.
public enum LogFileError: Error, Equatable, CustomStringConvertible {
    case noSuchFile(String)
    case noMatch(pattern: String)
    case isFolder(String)
    case cannotOpen(path: String, reason: String)
    case cannotRead(path: String, reason: String)
    case cannotWrite(String)

    public var description: String {
        switch self {
        case .noSuchFile(let path): "no such file: \(path)"
        case .noMatch(let pattern): "no file matches \(pattern)"
        case .isFolder(let path): "\(path) is a folder; name its files, e.g. '\(path)/*.jsonl*'"
        case .cannotOpen(let path, let reason): "cannot open \(path): \(reason)"
        case .cannotRead(let path, let reason): "cannot read \(path): \(reason)"
        case .cannotWrite(let reason): reason
        }
    }

    static func systemReason() -> String { String(cString: strerror(errno)) }
}

/// The files a review reads, in reading order, found from what the user named.
///
/// The writer rotates `x.jsonl` to `x.jsonl.1`, `x.jsonl.1` to `x.jsonl.2`, and so on,
/// so a log's records run from its highest-numbered file to `x.jsonl` itself. Whatever
/// way the files were named, the members of one such family are read in that order,
/// and families in the order they were first named.
public struct LogFiles: Sendable {
    /// Every file, in the order to read them.
    public let paths: [String]
    /// The last file of each family: the one its writer still appends to (`tail -f`).
    public let livePaths: [String]

    /// The files named by `arguments`: paths, and glob patterns (`'logs/*.jsonl*'`) that
    /// the reader expands itself, because users quote them so they work for thousands
    /// of files and on remote shells alike.
    public static func named(_ arguments: [String]) throws(LogFileError) -> LogFiles {
        var paths: [String] = []
        for argument in arguments {
            if argument.contains(where: { "*?[".contains($0) }) {
                let matches = expand(pattern: argument).filter { !isFolder($0) }
                guard !matches.isEmpty else { throw LogFileError.noMatch(pattern: argument) }
                paths += matches
            } else {
                guard FileIdentity(path: argument) != nil else { throw LogFileError.noSuchFile(argument) }
                guard !isFolder(argument) else { throw LogFileError.isFolder(argument) }
                paths.append(argument)
            }
        }
        return LogFiles(ordering: paths)
    }

    /// A configured log path and the files it was rotated to.
    public static func rotated(from logPath: String) throws(LogFileError) -> LogFiles {
        let pattern = escapeGlob(logPath) + ".*"
        let rotated = expand(pattern: pattern).filter { rotationNumber(of: $0, base: logPath) != nil }
        let current = FileIdentity(path: logPath) != nil ? [logPath] : []
        guard !(rotated + current).isEmpty else { throw LogFileError.noSuchFile(logPath) }
        return LogFiles(ordering: rotated + current)
    }

    private init(ordering paths: [String]) {
        var families: [String: [(number: Int, path: String)]] = [:]
        var order: [String] = []
        for path in paths {
            let (base, number) = Self.family(of: path)
            if families[base] == nil { order.append(base) }
            if families[base]?.contains(where: { $0.path == path }) != true {
                families[base, default: []].append((number, path))
            }
        }
        let sorted = order.map { families[$0]!.sorted { $0.number > $1.number }.map(\.path) }
        self.paths = sorted.flatMap { $0 }
        self.livePaths = sorted.compactMap(\.last)
    }

    /// `x.jsonl.3` → (`x.jsonl`, 3); a name without a number is its family's live file, 0.
    private static func family(of path: String) -> (base: String, number: Int) {
        guard let dot = path.lastIndex(of: "."), let number = rotationNumber(of: path, base: String(path[..<dot]))
        else {
            return (path, 0)
        }
        return (String(path[..<dot]), number)
    }

    private static func rotationNumber(of path: String, base: String) -> Int? {
        guard path.hasPrefix(base + "."), path.count > base.count + 1 else { return nil }
        let suffix = path.dropFirst(base.count + 1)
        guard suffix.allSatisfy(\.isASCII), suffix.allSatisfy(\.isNumber) else { return nil }
        return Int(suffix)
    }

    private static func expand(pattern: String) -> [String] {
        var found = glob_t()
        defer { globfree(&found) }
        guard glob(pattern, GLOB_TILDE, nil, &found) == 0 else { return [] }
        return (0..<Int(found.gl_pathc)).compactMap { found.gl_pathv[$0].map { String(cString: $0) } }
    }

    private static func escapeGlob(_ path: String) -> String {
        path.reduce(into: "") { escaped, character in
            if "*?[]\\".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
    }

    private static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
