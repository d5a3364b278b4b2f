import Foundation
public import OutguardLog

/// The daemon's settings, read from `outguard.yaml` and then overridden by the environment
/// and command-line flags (`ServerConfigLoader`). Every value has a default, so the daemon
/// runs with no file at all: on 127.0.0.1:8080, in front of the built-in `mock:echo`.
public struct ServerConfig: Sendable, Equatable {
    /// Where clients connect.
    public var listen = ListenAddress(host: "127.0.0.1", port: 8080)
    /// Where requests go.
    public var upstream = Upstream.mockEcho
    /// Rule files and folders; those from the config file are relative to its folder.
    public var rules = ["rules/"]
    /// Policies by name; `default` is always there and serves requests that name none.
    public var policies = [ServerConfig.defaultPolicyName: PolicyConfig()]
    public var blocked = BlockedResponse.refusal
    /// The violation log and the capture file; without `log.path` no records are written.
    public var log = LogConfig()
    /// The admin listener, when configured.
    public var admin: AdminConfig?
    /// When a running daemon reloads its rules by itself.
    public var reload = ReloadConfig()
    public var failMode = FailMode.closed
    public var unknownRoutes = UnknownRoutes.pass
    /// Event-loop threads.
    public var workers = ProcessInfo.processInfo.activeProcessorCount
    public var limits = Limits()
    public var timeouts = Timeouts()

    /// Where each policy's names were written, so `checkPolicies` can point at a pack that
    /// no rule file declares. Not part of equality: the same settings from two files are equal.
    var policySources: [String: PolicySource] = [:]

    /// The policy of requests that ask for none.
    public static let defaultPolicyName = "default"

    public init() {}

    public static func == (lhs: ServerConfig, rhs: ServerConfig) -> Bool {
        lhs.listen == rhs.listen && lhs.upstream == rhs.upstream && lhs.rules == rhs.rules
            && lhs.policies == rhs.policies && lhs.blocked == rhs.blocked && lhs.log == rhs.log
            && lhs.admin == rhs.admin && lhs.reload == rhs.reload
            && lhs.failMode == rhs.failMode && lhs.unknownRoutes == rhs.unknownRoutes
            && lhs.workers == rhs.workers && lhs.limits == rhs.limits && lhs.timeouts == rhs.timeouts
    }
}
