import ArgumentParser
import Foundation
import Logging
import OutguardAdmin
import OutguardConfig
import OutguardHooks
import OutguardLog
import OutguardProxy
import ServiceLifecycle

/// `outguard serve`: runs the proxy in front of the configured upstream.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the proxy: forward requests to the upstream and filter every answer.",
        discussion: """
            Settings come from the config file, then OUTGUARD_* environment variables, then
            these flags (later wins). With no file, Outguard listens on 127.0.0.1:8080 in
            front of the built-in `mock:echo` upstream with the rules in rules/.

            SIGHUP (or POST /admin/reload, or a change to a watched file) reloads the config
            and rules; the running policy stays when the change has an error. The daemon's
            own log goes to standard error: OUTGUARD_LOG_FORMAT=json makes it JSON lines,
            OUTGUARD_LOG_LEVEL sets its level (default info).

            Examples:
              outguard serve --config outguard.yaml
              outguard serve --upstream https://api.openai.com --listen 127.0.0.1:8080
              OUTGUARD_UPSTREAM=http://127.0.0.1:11434 outguard serve
            """)

    @Option(help: "The config file (default: ./outguard.yaml when it exists).")
    var config: String?

    @Option(help: "Address to listen on, like 127.0.0.1:8080 (port 0 picks a free port).")
    var listen: String?

    @Option(help: "Where requests go: mock:echo, or a URL like https://api.openai.com.")
    var upstream: String?

    @Option(help: "Rule files and folders, comma-separated.")
    var rules: String?

    @Option(name: .customLong("fail-mode"), help: "closed (refuse what cannot be checked) or open (pass it).")
    var failMode: String?

    @Option(name: .customLong("blocked-response"), help: "refusal (200 with content_filter) or error (HTTP 400).")
    var blockedResponse: String?

    @Option(name: .customLong("unknown-routes"), help: "pass (forward unfiltered) or block (answer 404).")
    var unknownRoutes: String?

    @Option(help: "Event-loop threads (default: one per CPU core).")
    var workers: String?

    func run() async throws {
        // SIGHUP's default action ends the process: one sent before the reloader listens
        // (systemd's ExecReload right after start) must be a no-op, not a crash. The
        // reloader's handler takes over once it runs.
        signal(SIGHUP, SIG_IGN)
        let environment = ProcessInfo.processInfo.environment
        let (format, level) = try DaemonLogHandler.settings(from: environment).get()
        LoggingSystem.bootstrap { _ in DaemonLogHandler(format: format, level: level) }
        let logger = Logger(label: "outguard")

        var overrides: [String: String] = [:]
        overrides["listen"] = listen
        overrides["upstream"] = upstream
        overrides["rules"] = rules
        overrides["fail_mode"] = failMode
        overrides["blocked_response"] = blockedResponse
        overrides["unknown_routes"] = unknownRoutes
        overrides["workers"] = workers
        let path = DaemonConfig.path(config)
        // A reload reads the same file with the same environment and flags as the start.
        let flags = overrides
        let load: PolicyReloader.Load = {
            DaemonSetup.load(path: path, environment: environment, overrides: flags)
        }
        let (loaded, diagnostics) = load()
        logger.report(diagnostics)
        guard let setup = loaded else { throw ExitCode.failure }
        let settings = setup.config

        // The writers drain on shutdown after the server stopped: a ServiceGroup stops
        // its services in reverse order, so they come first.
        let records = settings.log.violationFile.map { LogWriter<LogRecord>($0, logger: logger) }
        let captures = settings.log.captureFile.map { LogWriter<CapturedResponse>($0, logger: logger) }
        let log = records.map { ViolationLog(records: $0, captures: captures, config: settings.log) }
        let metrics = DaemonMetrics()
        let hookSupply = HookSupply(environment: environment, metricsFactory: metrics.factory, logger: logger)
        let hooks: Hooks?
        do {
            hooks = try hookSupply.hooks(for: setup.hooks)
        } catch {
            logger.report([error.diagnostic])
            throw ExitCode.failure
        }
        if let hooks {
            // In the background: a hook slow to answer must not hold up the listener.
            Task { logger.report(await hooks.probeWarnings()) }
        }
        let store = RuntimeStore(
            try ProxyRuntime(config: settings, policies: setup.policies, log: log, metrics: metrics.proxy, hooks: hooks))
        let reloader = PolicyReloader(store: store, setup: setup, logger: logger, hookSupply: hookSupply, load: load)
        let rulesCount = Set(setup.policies.values.flatMap { $0.policy.rules.map(\.id) }).count
        let server = ProxyServer(store: store, logger: logger) { host, port in
            let policies = setup.policies.keys.sorted().joined(separator: ", ")
            logger.info(
                "listening on \(Self.url(host: host, port: port)) → \(settings.upstream); \(rulesCount) rules, policies: \(policies)",
                metadata: ["ruleset": "\(setup.ruleset)"])
        }
        // The admin listener stops first: its label posts go to the same violation-log writer.
        var services: [any Service] = [records as (any Service)?, captures].compactMap { $0 } + [server, reloader]
        if let admin = settings.admin {
            let daemon = RunningDaemon(store: store, reloader: reloader)
            services.append(
                adminServer(
                    admin, settings: settings, environment: environment, writer: records, daemon: daemon,
                    logger: logger, metrics: metrics.endpoint(records: records, captures: captures)))
        }
        let group = ServiceGroup(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [], logger: logger)
        try await group.run()
    }

    private func adminServer(
        _ admin: AdminConfig, settings: ServerConfig, environment: [String: String], writer: LogWriter<LogRecord>?,
        daemon: RunningDaemon, logger: Logger, metrics: MetricsEndpoint
    ) -> AdminServer {
        let token = AdminServer.token(for: admin, in: environment)
        if let name = admin.tokenEnv, token == nil {
            logger.warning("\(name) is not set, so the admin listener takes requests without a token")
        }
        // Hummingbird's own start-up lines would repeat ours; its warnings and errors still show.
        var adminLogger = logger
        adminLogger.logLevel = .warning
        return AdminServer(
            config: admin, token: token, logPath: settings.log.path, writer: writer, daemon: daemon,
            logger: adminLogger, metrics: metrics
        ) { host, port in
            let login = token == nil ? "" : "?token=<token>"
            logger.info("admin on \(Self.url(host: host, port: port)); review page: /review\(login)")
        }
    }

    private static func url(host: String, port: Int) -> String {
        "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }
}
