import NIOCore
import NIOSSL
public import OutguardConfig
public import OutguardHooks

/// What every connection of a running proxy shares: the settings and the compiled
/// policies. Immutable, and a class so that each request holds one reference rather
/// than a copy of every setting; a reload puts a new one in the `RuntimeStore`.
public final class ProxyRuntime: Sendable {
    public let config: ServerConfig
    public let policies: [String: PolicyEntry]
    /// Where findings are recorded; nil without `log.path`.
    public let log: ViolationLog?
    /// Each policy as the log's records name it, by policy name; empty without a log.
    let loggedPolicies: [String: LoggedPolicy]
    let target: UpstreamTarget?
    let sslContext: NIOSSLContext?
    /// Whether the upstream takes connections; nil for `mock:echo`.
    public let upstreamHealth: UpstreamHealth?
    /// What responses are counted in; one for the daemon's lifetime, shared across reloads.
    public let metrics: ProxyMetrics
    /// The classifier services the rules ask; nil when no rule file declares a hook.
    public let hooks: Hooks?
    /// How each policy with classifier rules asks them, by policy name.
    let classifiers: [String: ClassifierPlan]

    public init(
        config: ServerConfig, policies: [String: PolicyEntry], log: ViolationLog? = nil,
        metrics: ProxyMetrics = ProxyMetrics(), hooks: Hooks? = nil
    ) throws {
        self.config = config
        self.policies = policies
        self.log = log
        self.metrics = metrics
        self.hooks = hooks
        classifiers = Self.classifiers(of: policies, hooks: hooks)
        loggedPolicies = Self.loggedPolicies(of: policies, log: log)
        switch config.upstream {
        case .mockEcho:
            target = nil
            sslContext = nil
            upstreamHealth = nil
        case .http(let scheme, let host, let port, let basePath):
            let useTLS = scheme == "https"
            let defaultPort = useTLS ? 443 : 80
            let target = UpstreamTarget(
                host: host, port: port, useTLS: useTLS, basePath: basePath,
                hostHeader: port == defaultPort ? host : "\(host):\(port)")
            self.target = target
            upstreamHealth = UpstreamHealth(
                target: target, connectTimeout: .milliseconds(Int64(config.timeouts.connectMs)))
            // The system trust store, as curl and the SDKs use it.
            sslContext = useTLS ? try NIOSSLContext(configuration: .makeClientConfiguration()) : nil
        }
    }

    /// The runtime a reload builds: new settings and policies over the upstream and the log
    /// of `running`, which a reload never reopens (`ServerConfig.applied(over:)` keeps
    /// their settings).
    init(reloading running: ProxyRuntime, config: ServerConfig, policies: [String: PolicyEntry], hooks: Hooks?) {
        self.config = config
        self.policies = policies
        self.hooks = hooks
        classifiers = Self.classifiers(of: policies, hooks: hooks)
        log = running.log
        loggedPolicies = Self.loggedPolicies(of: policies, log: running.log)
        target = running.target
        sslContext = running.sslContext
        upstreamHealth = running.upstreamHealth
        metrics = running.metrics
    }

    private static func classifiers(of policies: [String: PolicyEntry], hooks: Hooks?) -> [String: ClassifierPlan] {
        policies.compactMapValues { ClassifierPlan(policy: $0.policy, hooks: hooks) }
    }

    private static func loggedPolicies(
        of policies: [String: PolicyEntry], log: ViolationLog?
    ) -> [String: LoggedPolicy] {
        log == nil ? [:] : policies.mapValues(LoggedPolicy.init)
    }

    var connectTimeout: TimeAmount { .milliseconds(Int64(config.timeouts.connectMs)) }
    var responseTimeout: TimeAmount { .milliseconds(Int64(config.timeouts.responseMs)) }
    var idleTimeout: TimeAmount { .milliseconds(Int64(config.timeouts.idleMs)) }
}
