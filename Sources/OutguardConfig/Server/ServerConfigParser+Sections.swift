/// The nested sections of `outguard.yaml`: `blocked`, `log`, `admin`, `reload`, `limits`,
/// `timeouts`.
extension ServerConfigParser {
    static func readSections(
        _ fields: Fields, into config: inout ServerConfig, paths: ConfigPaths, environment: [String: String],
        reader: inout FieldReader
    ) {
        reader.reading(.blocked) { reader in
            guard let blocked = section(.blocked, of: fields, reader: &reader) else { return }
            let response = reader.choice(blocked, "response", noun: "blocked response", options: BlockedResponse.named)
            if let response { config.blocked = response }
        }
        reader.reading(.log) { reader in
            guard let log = section(.log, of: fields, reader: &reader) else { return }
            readLog(log, into: &config.log, paths: paths, environment: environment, reader: &reader)
        }
        reader.reading(.admin) { reader in
            guard let admin = section(.admin, of: fields, reader: &reader) else { return }
            config.admin = readAdmin(admin, listen: config.listen, reader: &reader)
        }
        reader.reading(.reload) { reader in
            guard let reload = section(.reload, of: fields, reader: &reader) else { return }
            if let watch = reader.bool(reload, "watch") { config.reload.watch = watch }
            let interval = reader.value(reload, "interval_ms", expected: "a whole number of milliseconds") {
                Quantity.count($0, name: "interval_ms", range: Quantity.watchInterval, example: 1_000)
            }
            if let interval { config.reload.intervalMs = interval }
        }
        reader.reading(.limits) { reader in
            guard let limits = section(.limits, of: fields, reader: &reader) else { return }
            readLimits(limits, into: &config.limits, reader: &reader)
        }
        reader.reading(.timeouts) { reader in
            guard let timeouts = section(.timeouts, of: fields, reader: &reader) else { return }
            readTimeouts(timeouts, into: &config.timeouts, reader: &reader)
        }
    }

    /// The fields of `section` (a key of `parent`), when the file has it and it is a mapping.
    static func section(
        _ section: Section, in parent: Section = .top, of fields: Fields, reader: inout FieldReader
    ) -> Fields? {
        reader.mapping(
            fields, section.rawValue, keys: section.keys, owner: section.owner,
            example: example(section.rawValue, in: parent))
    }

    private static func readAdmin(_ fields: Fields, listen: ListenAddress, reader: inout FieldReader) -> AdminConfig? {
        let tokenEnv = reader.string(fields, "token_env")
        if let tokenEnv, !isEnvironmentName(tokenEnv.value) {
            // The usual slip is pasting the token itself, which must not sit in the file.
            reader.error(at: tokenEnv.location, "`token_env` names the environment variable that holds the token",
                         fix: "write the variable's name, like `\(example("token_env", in: .admin))`")
        }
        guard fields.has("listen") else {
            reader.error(at: fields.location, "`admin` has no `listen`",
                         fix: "add the admin address, like `\(example("listen", in: .admin))`")
            return nil
        }
        let address = reader.value(fields, "listen", expected: "an address and port") {
            ListenAddress.parse($0, examplePort: 9901)
        }
        guard let address else { return nil }
        if address == listen, address.port != 0, let written = fields["listen"] {
            reader.error(at: written.location, "the admin listener cannot share the proxy's address \(listen)",
                         fix: "give it its own port, like `\(example("listen", in: .admin))`")
        }
        return AdminConfig(listen: address, tokenEnv: tokenEnv?.value)
    }

    private static func readLimits(_ fields: Fields, into limits: inout Limits, reader: inout FieldReader) {
        let sizes: [(key: String, example: String, path: WritableKeyPath<Limits, Int>)] = [
            ("max_request_bytes", "10MB", \.maxRequestBytes), ("max_response_bytes", "50MB", \.maxResponseBytes),
            ("max_header_bytes", "64KB", \.maxHeaderBytes),
        ]
        for (key, example, path) in sizes {
            let size = reader.value(fields, key, expected: "a size in bytes") {
                Quantity.size($0, name: key, example: example)
            }
            if let size { limits[keyPath: path] = size }
        }
        let connections = reader.value(fields, "upstream_connections", expected: "a whole number") {
            Quantity.count($0, name: "upstream_connections", range: Quantity.connections, example: 256)
        }
        if let connections { limits.maxConnectionsPerUpstreamLoop = connections }
    }

    private static func readTimeouts(_ fields: Fields, into timeouts: inout Timeouts, reader: inout FieldReader) {
        let defaults = Timeouts()
        let keys: [(String, WritableKeyPath<Timeouts, Int>)] = [
            ("connect_ms", \.connectMs), ("response_ms", \.responseMs), ("idle_ms", \.idleMs),
            ("shutdown_grace_ms", \.shutdownGraceMs),
        ]
        for (key, path) in keys {
            let milliseconds = reader.value(fields, key, expected: "a whole number of milliseconds") {
                Quantity.count($0, name: key, range: Quantity.milliseconds, example: defaults[keyPath: path])
            }
            if let milliseconds { timeouts[keyPath: path] = milliseconds }
        }
    }

    /// `[A-Za-z_][A-Za-z0-9_]*`, as shells name variables.
    static func isEnvironmentName(_ name: String) -> Bool {
        guard let first = name.first, !first.isASCIIDigit else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }
}
