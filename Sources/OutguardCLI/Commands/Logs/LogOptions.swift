import ArgumentParser
import Foundation
import OutguardConfig
import OutguardLog

/// Which log files a `logs` command reads: the files named, or the configured log.
struct LogFileOptions: ParsableArguments {
    @Argument(
        help: ArgumentHelp(
            "Log files, or quoted glob patterns like 'logs/*.jsonl*'.",
            discussion: "Without files: the config's log.path, its rotated files first."))
    var files: [String] = []

    @Option(
        help: "The config whose log.path is read when no files are named (default: ./outguard.yaml when it exists).")
    var config: String?

    func resolve() throws -> LogFiles {
        if !files.isEmpty { return try LogFiles.named(files) }
        let settings = try DaemonConfig.load(config)
        guard let logPath = settings.log.path else {
            throw ValidationError(
                "no log to read: name log files, or set log.path in \(DaemonConfig.path(config) ?? "outguard.yaml") (or OUTGUARD_LOG_PATH)"
            )
        }
        return try LogFiles.rotated(from: logPath)
    }
}

/// The filters every `logs` command shares.
struct LogFilterOptions: ParsableArguments {
    @Option(help: "Only records since then: 30m, 24h, 7d, or a UTC date or time like 2026-11-29 or 2026-11-29T07:00.")
    var since: String?

    @Option(help: "Only records of this rule.")
    var rule: String?

    @Option(help: "Only records of this pack.")
    var pack: String?

    @Option(
        help: "Only findings of rules in this mode: enforce or shadow.",
        transform: { text in
            guard text == "enforce" || text == "shadow" else {
                throw ValidationError("--mode \(text): write enforce or shadow")
            }
            return text
        })
    var mode: String?

    func validate() throws {
        if let since, LogQuery.start(since: since, now: Date()) == nil {
            throw ValidationError(
                "--since \(since): write a duration like 30m, 24h or 7d, or a date or time like 2026-11-29 or 2026-11-29T07:00Z"
            )
        }
    }

    func query(event: LogRecord.Event? = nil) -> LogQuery {
        LogQuery(
            since: since.flatMap { LogQuery.start(since: $0, now: Date()) }, rule: rule, pack: pack, mode: mode,
            event: event)
    }
}

/// `--event`, for the commands that list records.
struct LogEventOption: ParsableArguments {
    @Option(
        help: "Only records of this event: violation, engine_error, request, feedback or reload.",
        transform: { text in
            guard let event = LogRecord.Event(rawValue: text) else {
                throw ValidationError(
                    "--event \(text): write one of \(LogRecord.Event.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return event
        })
    var event: LogRecord.Event?
}
