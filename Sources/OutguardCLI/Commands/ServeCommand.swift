import ArgumentParser
import Foundation
import Logging
import OutguardConfig
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
        let path = config ?? (FileManager.default.fileExists(atPath: "outguard.yaml") ? "outguard.yaml" : nil)
        var overrides: [String: String] = [:]
        overrides["listen"] = listen
        overrides["upstream"] = upstream
        overrides["rules"] = rules
        overrides["fail_mode"] = failMode
        overrides["blocked_response"] = blockedResponse
        overrides["unknown_routes"] = unknownRoutes
        overrides["workers"] = workers
        let loaded = ServerConfigLoader.load(
            path: path, environment: ProcessInfo.processInfo.environment, overrides: overrides)
        for diagnostic in loaded.diagnostics { Terminal.error(diagnostic.description) }
        guard let settings = loaded.config else { throw ExitCode.failure }

        let ruleSet = RuleSetLoader.load(paths: settings.rules)
        let checks = settings.checkPolicies(against: ruleSet)
        for diagnostic in ruleSet.diagnostics + checks { Terminal.error(diagnostic.description) }
        guard !ruleSet.hasErrors, !checks.contains(where: { $0.severity == .error }) else { throw ExitCode.failure }
        let built = settings.makePolicies(from: ruleSet)
        for diagnostic in built.diagnostics { Terminal.error(diagnostic.description) }
        guard !built.diagnostics.contains(where: { $0.severity == .error }) else { throw ExitCode.failure }

        let logger = Logger(label: "outguard")
        // The writers drain on shutdown after the server stopped: a ServiceGroup stops
        // its services in reverse order, so they come first.
        let records = settings.log.violationFile.map { LogWriter<LogRecord>($0, logger: logger) }
        let captures = settings.log.captureFile.map { LogWriter<CapturedResponse>($0, logger: logger) }
        let log = records.map { ViolationLog(records: $0, captures: captures, config: settings.log) }
        let runtime = try ProxyRuntime(config: settings, policies: built.policies, log: log)
        let rulesCount = ruleSet.enabledRules.count
        let server = ProxyServer(runtime: runtime, logger: logger) { host, port in
            let host = host.contains(":") ? "[\(host)]" : host
            Terminal.error(
                "outguard: listening on http://\(host):\(port) → \(settings.upstream); "
                    + "\(rulesCount) rules, policies: \(built.policies.keys.sorted().joined(separator: ", "))")
        }
        let writers: [any Service] = [records as (any Service)?, captures].compactMap { $0 }
        let group = ServiceGroup(
            services: writers + [server], gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [], logger: logger)
        try await group.run()
    }
}
