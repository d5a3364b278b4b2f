import OutguardLog

/// The `log` section: the violation log's file, how matched text is held, flushing,
/// rotation and the queue, and the capture file.
extension ServerConfigParser {
    static func readLog(
        _ fields: Fields, into log: inout LogConfig, paths: ConfigPaths, environment: [String: String],
        reader: inout FieldReader
    ) {
        if let path = filePath(fields, section: .log, reader: &reader) { log.path = paths.resolve(path.value) }
        if let match = reader.choice(fields, "match", noun: "`match` value", options: MatchPrivacy.named) {
            log.match = match
        }
        var keyEnvIsValid = true
        if let keyEnv = reader.string(fields, "hmac_key_env") {
            keyEnvIsValid = isEnvironmentName(keyEnv.value)
            if keyEnvIsValid {
                log.hmacKeyEnv = keyEnv.value
            } else {
                // The usual slip is pasting the key itself, which must not sit in the file.
                reader.error(
                    at: keyEnv.location, "`hmac_key_env` names the environment variable that holds the key",
                    fix: "write the variable's name, like `\(example("hmac_key_env", in: .log))`")
            }
        }
        if log.match == .hmac, keyEnvIsValid, let match = fields["match"] {
            readKey(into: &log, environment: environment, at: match.location, reader: &reader)
        }
        readQuantities(fields, into: &log, reader: &reader)
        let logPath = log.path
        log.capture = reader.reading(.capture) { reader in
            guard let capture = section(.capture, in: .log, of: fields, reader: &reader) else { return nil }
            return readCapture(capture, logPath: logPath, paths: paths, reader: &reader)
        }
    }

    /// The HMAC key, read now so that a daemon that starts has one.
    private static func readKey(
        into log: inout LogConfig, environment: [String: String], at location: SourceLocation,
        reader: inout FieldReader
    ) {
        guard let key = environment[log.hmacKeyEnv], !key.isEmpty else {
            reader.error(
                at: location, "`match: hmac` needs a key, but `\(log.hmacKeyEnv)` is not set",
                fix: "set `\(log.hmacKeyEnv)` to a long random secret (`openssl rand -hex 32`), "
                    + "or choose another `match`")
            return
        }
        log.hmacKey = Array(key.utf8)
    }

    private static func readQuantities(_ fields: Fields, into log: inout LogConfig, reader: inout FieldReader) {
        let defaults = LogConfig()
        let counts: [(key: String, range: ClosedRange<Int>, path: WritableKeyPath<LogConfig, Int>)] = [
            ("flush_ms", Quantity.milliseconds, \.flushMs), ("keep", Quantity.rotatedFiles, \.keep),
            ("queue_size", Quantity.queuedRecords, \.queueSize),
        ]
        for (key, range, path) in counts {
            let count = reader.value(fields, key, expected: "a whole number") {
                Quantity.count($0, name: key, range: range, example: defaults[keyPath: path])
            }
            if let count { log[keyPath: path] = count }
        }
        let maxBytes = reader.value(fields, "max_bytes", expected: "a size in bytes") {
            Quantity.size($0, name: "max_bytes", example: "100MiB")
        }
        if let maxBytes { log.maxBytes = maxBytes }
    }

    private static func readCapture(
        _ fields: Fields, logPath: String?, paths: ConfigPaths, reader: inout FieldReader
    ) -> CaptureConfig? {
        var capture = CaptureConfig(path: "")
        if let findings = reader.bool(fields, "findings") { capture.findings = findings }
        if let rate = reader.number(fields, "sample_rate"), let node = fields["sample_rate"] {
            if (0...1).contains(rate) {
                capture.sampleRate = rate
            } else {
                reader.error(
                    at: node.location, "`sample_rate` must be from 0 to 1, not \(rate)",
                    fix: "write it like `\(example("sample_rate", in: .capture))` (1% of clean answers)")
            }
        }
        guard fields.has("path") else {
            reader.error(
                at: fields.location, "`capture` has no `path`",
                fix: "add the file, like `\(example("path", in: .capture))`")
            return nil
        }
        guard let written = filePath(fields, section: .capture, reader: &reader) else { return nil }
        capture.path = paths.resolve(written.value)
        guard capture.path != logPath else {
            // Two writers appending to and rotating one file would tear each other's lines.
            reader.error(
                at: written.location, "the capture file cannot be the log file",
                fix: "give it a file of its own, like `\(example("path", in: .capture))`")
            return nil
        }
        return capture
    }

    /// `path` of the log or the capture file, which cannot be empty.
    private static func filePath(_ fields: Fields, section: Section, reader: inout FieldReader) -> YAMLScalar? {
        guard let path = reader.string(fields, "path") else { return nil }
        guard !path.value.isEmpty else {
            reader.error(
                at: path.location, "the \(section.rawValue) path cannot be empty",
                fix: "write a file, like `\(example("path", in: section))`, or remove `\(section.rawValue)`")
            return nil
        }
        return path
    }
}
