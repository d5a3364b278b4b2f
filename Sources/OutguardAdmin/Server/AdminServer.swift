import Hummingbird
public import Logging
public import OutguardConfig
public import OutguardLog
public import ServiceLifecycle

/// The admin listener (`admin.listen`), apart from the data path: `/healthz`, `/readyz`,
/// `/metrics`, `/admin/policy`, `/admin/reload` and the review page, behind the admin
/// token when one is set (the probes excepted). As a swift-service-lifecycle
/// `Service` it stops accepting on graceful shutdown; list it after the log writer it
/// submits to, so the writer drains last.
public struct AdminServer: Service {
    private let config: AdminConfig
    private let token: String?
    private let logPath: String?
    private let writer: LogWriter<LogRecord>?
    private let daemon: RunningDaemon?
    private let metrics: MetricsEndpoint?
    private let logger: Logger
    private let onListening: @Sendable (_ host: String, _ port: Int) -> Void

    /// - Parameters:
    ///   - token: the admin token (see `token(for:in:)`); `nil` leaves the listener open,
    ///     as on a loopback address without a token.
    ///   - logPath: `log.path`, which the review page reads.
    ///   - writer: the violation log's writer, which the proxy shares; label posts go to it.
    ///   - daemon: the running proxy, for readiness, the policy report and reload; without
    ///     it only `/healthz` and the review page are served.
    ///   - metrics: what `GET /metrics` exports; nil: no such route.
    ///   - onListening: called with the bound address once the listener accepts connections.
    public init(
        config: AdminConfig, token: String?, logPath: String?, writer: LogWriter<LogRecord>?,
        daemon: RunningDaemon? = nil, logger: Logger, metrics: MetricsEndpoint? = nil,
        onListening: @escaping @Sendable (_ host: String, _ port: Int) -> Void = { _, _ in }
    ) {
        self.config = config
        self.token = token
        self.logPath = logPath
        self.writer = writer
        self.daemon = daemon
        self.metrics = metrics
        self.logger = logger
        self.onListening = onListening
    }

    /// The value of the variable `admin.token_env` names; `nil` when there is none or it
    /// is unset or empty, since an empty token would let anyone in.
    public static func token(for config: AdminConfig, in environment: [String: String]) -> String? {
        config.tokenEnv.flatMap { environment[$0] }.flatMap { $0.isEmpty ? nil : $0 }
    }

    public func run() async throws {
        let address = config.listen
        let onListening = onListening
        let app = Application(
            router: try makeRouter(),
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: nil),
            onServerRunning: { channel in
                onListening(channel.localAddress?.ipAddress ?? address.host, channel.localAddress?.port ?? address.port)
            },
            logger: logger)
        try await app.run()
    }

    /// Every route, behind the access check; tests drive it without a socket.
    func makeRouter() throws -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(
            middleware: AccessMiddleware(
                token: token.map(Secret.init), session: .random(),
                tokenEnv: config.tokenEnv ?? "admin.token_env"))
        router.get("/healthz") { _, _ in AdminResponse.text("ok") }
        if let daemon { OperationsRoutes(daemon: daemon, log: writer).add(to: router) }
        ReviewRoutes(
            log: logPath.map(ReviewLog.init(path:)), writer: writer, renderer: try PageRenderer(),
            formToken: .random()
        ).add(to: router)
        metrics.map(MetricsRoute.init(endpoint:))?.add(to: router)
        return router
    }
}
