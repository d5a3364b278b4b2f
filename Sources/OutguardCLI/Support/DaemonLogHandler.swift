import Foundation
import Logging
import Synchronization

/// The daemon's own log on standard error (never the violation log): readable lines by
/// default, or one JSON object per line with `OUTGUARD_LOG_FORMAT=json` for a log
/// pipeline. Messages and metadata carry no secrets or response text; the callers see to
/// that, this only lays them out.
///
/// Written here because swift-log ships only a plain-text stream handler, and the JSON
/// form must be one line per event with the metadata as fields.
struct DaemonLogHandler: LogHandler {
    enum Format: String, CaseIterable {
        /// `outguard: warning: message (key: value; …)`.
        case text
        /// `{"ts":"…","level":"info","message":"…","key":"value",…}`.
        case json
    }

    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level
    private let format: Format

    init(format: Format, level: Logger.Level) {
        self.format = format
        logLevel = level
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields = metadata
        if let extra = event.metadata { fields.merge(extra) { _, new in new } }
        let line =
            switch format {
            case .text: Self.text(level: event.level, message: "\(event.message)", fields: fields)
            case .json: Self.json(level: event.level, message: "\(event.message)", fields: fields, label: event.source)
            }
        Self.standardError.withLock { _ in FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }

    /// One write at a time, so lines from two threads never interleave.
    private static let standardError = Mutex(())

    static func text(level: Logger.Level, message: String, fields: Logger.Metadata) -> String {
        let severity = level >= .warning ? "\(level == .warning ? "warning" : "error"): " : ""
        let details = fields.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        return "outguard: \(severity)\(message)" + (details.isEmpty ? "" : " (\(details.joined(separator: "; ")))")
    }

    static func json(level: Logger.Level, message: String, fields: Logger.Metadata, label: String) -> String {
        var object: [String: Any] = [:]
        for (key, value) in fields { object[key] = plain(value) }
        object["ts"] = Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        object["level"] = level.rawValue
        object["message"] = message
        object["source"] = label
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
        return data.map { String(decoding: $0, as: UTF8.self) } ?? #"{"message":"unencodable log event"}"#
    }

    private static func plain(_ value: Logger.MetadataValue) -> Any {
        switch value {
        case .string(let text): text
        case .stringConvertible(let value): "\(value)"
        case .array(let values): values.map(plain)
        case .dictionary(let values): values.mapValues(plain)
        }
    }

    /// `OUTGUARD_LOG_FORMAT` (`text` or `json`) and `OUTGUARD_LOG_LEVEL` (`debug`, `info`,
    /// `warning`, `error`, …) from `environment`; a value it does not know is an error
    /// message naming what it takes.
    static func settings(from environment: [String: String]) -> Result<(Format, Logger.Level), CommandFailure> {
        let formatName = environment["OUTGUARD_LOG_FORMAT"].flatMap { $0.isEmpty ? nil : $0.lowercased() } ?? "text"
        guard let format = Format(rawValue: formatName) else {
            return .failure(CommandFailure("OUTGUARD_LOG_FORMAT is `\(formatName)`: write `text` or `json`"))
        }
        let levelName = environment["OUTGUARD_LOG_LEVEL"].flatMap { $0.isEmpty ? nil : $0.lowercased() } ?? "info"
        guard let level = Logger.Level(rawValue: levelName) else {
            let names = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            return .failure(CommandFailure("OUTGUARD_LOG_LEVEL is `\(levelName)`: write one of \(names)"))
        }
        return .success((format, level))
    }
}
