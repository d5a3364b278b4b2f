import NIOPosix
import OutguardConfig
import OutguardHooks
import OutguardTestSupport
import Testing

@testable import OutguardCLI

/// What `outguard serve`'s `/metrics` exports of the classifier hooks: hooks built with
/// the daemon's factory count into its registry, with their help.
@Test func hookCallsAndTheBreakerAreExportedWithTheirHelp() async throws {
    let metrics = DaemonMetrics()
    let refusing = try RefusingPort()
    defer { withExtendedLifetime(refusing) {} }
    let url = "http://127.0.0.1:\(refusing.port)/v1/classify"
    let hooks = try Hooks(
        [
            HookDefinition(
                name: "judge", url: url, protocol: .outguard,
                location: SourceLocation(file: "h.yaml", line: 2, column: 3))
        ],
        environment: [:], metricsFactory: metrics.factory)
    let judge = try #require(hooks["judge"])
    let result = try await judge.scores(
        for: "text", rule: nil, categories: ["harassment"], on: MultiThreadedEventLoopGroup.singleton.next()
    ).get()
    #expect(result.outcome == .unreachable)

    let lines = metrics.endpoint(records: nil, captures: nil).export().split(separator: "\n").map(String.init)
    #expect(lines.contains(#"outguard_hook_calls_total{hook="judge",outcome="unreachable"} 1"#), "\(lines)")
    #expect(lines.contains(#"outguard_hook_breaker_open{hook="judge"} 0.0"#), "\(lines)")
    for name in [HookMetrics.Name.calls, HookMetrics.Name.breakerOpen] {
        let help = try #require(HookMetrics.help[name])
        #expect(lines.contains("# HELP \(name) \(help)"), "\(name) has no help")
    }
}
