public import ArgumentParser

/// The `outguard` command: one root with a subcommand per job.
public struct OutguardCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "outguard",
        abstract: "An output guardrail for LLM applications: rules that say what must never appear.",
        discussion: """
            Run the proxy with `serve`. Write rules in YAML, check them with `lint`, run
            their examples with `test`, try them on a text with `scan`, score them on a
            labelled corpus with `eval`, see what a change does to captured traffic with
            `replay`, measure them with `bench`, and review what fired in the violation log
            with `logs`.
            """,
        subcommands: [
            ServeCommand.self, LintCommand.self, TestCommand.self, ScanCommand.self, EvalCommand.self,
            ReplayCommand.self, BenchCommand.self, LogsCommand.self,
        ])

    public init() {}
}
