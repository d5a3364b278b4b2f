import NIOCore
import NIOSSL
public import OutguardConfig

/// What every connection of a running proxy shares: the settings and the compiled
/// policies. Immutable, and a class so that each request holds one reference rather
/// than a copy of every setting; a reload (later) swaps the whole object.
public final class ProxyRuntime: Sendable {
    public let config: ServerConfig
    public let policies: [String: PolicyEntry]
    /// Where findings are recorded; nil without `log.path`.
    let log: ViolationLog?
    let target: UpstreamTarget?
    let sslContext: NIOSSLContext?

    public init(config: ServerConfig, policies: [String: PolicyEntry], log: ViolationLog? = nil) throws {
        self.config = config
        self.policies = policies
        self.log = log
        switch config.upstream {
        case .mockEcho:
            target = nil
            sslContext = nil
        case .http(let scheme, let host, let port, let basePath):
            let useTLS = scheme == "https"
            let defaultPort = useTLS ? 443 : 80
            target = UpstreamTarget(
                host: host, port: port, useTLS: useTLS, basePath: basePath,
                hostHeader: port == defaultPort ? host : "\(host):\(port)")
            // The system trust store, as curl and the SDKs use it.
            sslContext = useTLS ? try NIOSSLContext(configuration: .makeClientConfiguration()) : nil
        }
    }

    var connectTimeout: TimeAmount { .milliseconds(Int64(config.timeouts.connectMs)) }
    var responseTimeout: TimeAmount { .milliseconds(Int64(config.timeouts.responseMs)) }
    var idleTimeout: TimeAmount { .milliseconds(Int64(config.timeouts.idleMs)) }
}
