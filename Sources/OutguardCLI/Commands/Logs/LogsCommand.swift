import ArgumentParser

/// `outguard logs`: the violation log from the command line.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Review the violation log: what fired, per rule, and the records themselves.",
        discussion: """
            Every command reads the files named (quote glob patterns: 'logs/*.jsonl*'),
            or else the log.path of outguard.yaml with its rotated files, oldest first.
            Lines that are not records are skipped and counted on standard error.
            """,
        subcommands: [
            LogsSummaryCommand.self, LogsTailCommand.self, LogsShowCommand.self, LogsExportCommand.self,
            LogsLabelCommand.self,
        ])
}
