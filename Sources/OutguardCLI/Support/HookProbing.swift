import NIOCore
import NIOPosix
import OutguardConfig
import OutguardHooks

/// `outguard lint`'s look at the classifier hooks: each is probed once, and one that does
/// not answer is a warning at its declaration. Not an error: the rule files are right, and
/// the service may simply not run where lint does.
enum HookProbing {
    /// The warnings for `hooks`, in file order; `environment` fills their headers, as for
    /// `outguard serve`.
    static func warnings(_ hooks: [HookDefinition], environment: [String: String]) -> [Diagnostic] {
        guard !hooks.isEmpty else { return [] }
        // Its own short-lived loop: lint runs no daemon whose loops it could borrow.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let eventLoop = group.next()
        var warnings: [Diagnostic] = []
        var probes: [EventLoopFuture<Diagnostic?>] = []
        for hook in hooks {
            do {
                let client = try HookClient(hook, environment: environment)
                probes.append(client.probe(on: eventLoop).map(hook.probeWarning))
            } catch {
                warnings.append(notProbed(error))
            }
        }
        for probe in probes {
            // A probe's failure is its result, so the future itself never fails.
            if let warning = try? probe.wait() { warnings.append(warning) }
        }
        return warnings.sorted { $0.location < $1.location }
    }

    /// A hook that cannot be built here, most often for a header's environment variable
    /// that lint's environment lacks.
    private static func notProbed(_ error: HookSetupError) -> Diagnostic {
        Diagnostic(
            .warning, at: error.location, "hook `\(error.hook)` is not probed: \(error.message)",
            fix: "`outguard serve` does not start like this; run lint with the daemon's environment to probe the hook")
    }
}
