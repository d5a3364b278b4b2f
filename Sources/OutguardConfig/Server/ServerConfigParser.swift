/// Reads `outguard.yaml` into a `ServerConfig`, finding every mistake in it: each setting the
/// file gets right replaces its default, each it gets wrong becomes a diagnostic.
enum ServerConfigParser {
    typealias Section = ServerConfigSchema.Section

    /// `environment` holds the secrets the file names by variable (`log.hmac_key_env`).
    static func parse(
        _ bytes: [UInt8], path: String, environment: [String: String]
    ) -> (config: ServerConfig, diagnostics: [Diagnostic]) {
        let document = YAMLDocument.parse(bytes, file: path)
        var reader = FieldReader(section: .top)
        reader.append(contentsOf: document.diagnostics)
        let paths = ConfigPaths(configFile: path)
        var config = ServerConfig()
        // The default rule folder is the one beside the file, like any path the file names.
        config.rules = config.rules.map(paths.resolve)
        // An empty file, or one whose every line is commented out, leaves the defaults.
        if let root = document.root, !root.isNull {
            read(root, into: &config, paths: paths, environment: environment, reader: &reader)
        }
        // Reading goes key by key; the author reads top to bottom.
        let diagnostics = reader.diagnostics.enumerated()
            .sorted { ($0.element.location, $0.offset) < ($1.element.location, $1.offset) }
            .map(\.element)
        return (config, diagnostics)
    }

    static func example(_ key: String, in section: Section = .top) -> String {
        ServerConfigSchema.example(for: key, in: section)
    }

    private static func read(
        _ root: YAMLNode, into config: inout ServerConfig, paths: ConfigPaths, environment: [String: String],
        reader: inout FieldReader
    ) {
        guard let mapping = root.mapping else {
            reader.error(at: root.location, "the config file must be a mapping of settings",
                         fix: "write one setting a line, like `\(example("listen"))`")
            return
        }
        let fields = reader.fields(of: mapping)
        reader.rejectUnknownKeys(in: fields, allowed: Section.top.keys, of: Section.top.owner)

        let listen = reader.value(fields, "listen", expected: "an address and port") { ListenAddress.parse($0) }
        if let listen { config.listen = listen }
        if let upstream = reader.value(fields, "upstream", expected: "a URL", parse: Upstream.parse) {
            config.upstream = upstream
        }
        if let rules = rulePaths(fields, reader: &reader) { config.rules = rules.map(paths.resolve) }
        if let node = fields["policies"], let read = PolicyParser.parse(node, reader: &reader) {
            config.policies = read.policies
            config.policySources = read.sources
        }
        if let failMode = reader.choice(fields, "fail_mode", noun: "fail mode", options: FailMode.named) {
            config.failMode = failMode
        }
        let unknownRoutes = reader.choice(
            fields, "unknown_routes", noun: "`unknown_routes` value", options: UnknownRoutes.named)
        if let unknownRoutes { config.unknownRoutes = unknownRoutes }
        let workers = reader.value(fields, "workers", expected: "a whole number") {
            Quantity.count($0, name: "workers", range: Quantity.workers, example: 2)
        }
        if let workers { config.workers = workers }
        readSections(fields, into: &config, paths: paths, environment: environment, reader: &reader)
    }

    /// `rules:` takes one path or a list of them.
    private static func rulePaths(_ fields: Fields, reader: inout FieldReader) -> [String]? {
        guard let node = fields["rules"] else { return nil }
        if node.mapping != nil {
            reader.error(at: node.location, "`rules` must be a path or a list of paths",
                         fix: "write it like `\(example("rules"))`")
            return nil
        }
        let written = node.sequence == nil
            ? reader.string(fields, "rules").map { [$0] } : reader.strings(fields, "rules")
        guard let written else { return nil }
        if written.isEmpty {
            reader.warning(at: node.location, "`rules` lists no files or folders: nothing will be filtered",
                           fix: "write it like `\(example("rules"))`")
        }
        var paths: [String] = []
        for path in written {
            guard !path.value.isEmpty else {
                reader.error(at: path.location, "a rule path cannot be empty",
                             fix: "write a file or folder, like `\(example("rules"))`")
                continue
            }
            paths.append(path.value)
        }
        return paths.count == written.count ? paths : nil
    }
}
