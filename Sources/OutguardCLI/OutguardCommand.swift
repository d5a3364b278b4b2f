public import ArgumentParser

/// The `outguard` command: one root with a subcommand per job.
public struct OutguardCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "outguard",
        abstract: "An output guardrail for LLM applications: rules that say what must never appear.",
        subcommands: [])

    public init() {}
}
