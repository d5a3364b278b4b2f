public import CoreMetrics
public import Logging
public import OutguardConfig
public import OutguardHooks

/// Builds the classifier hooks of a rule set for the running daemon, the same way at start
/// and at every reload.
public struct HookSupply: Sendable {
    let environment: [String: String]
    let metricsFactory: (any MetricsFactory)?
    let logger: Logger

    /// - Parameter environment: where header values' `${VARIABLES}` are read.
    public init(environment: [String: String], metricsFactory: (any MetricsFactory)? = nil, logger: Logger) {
        self.environment = environment
        self.metricsFactory = metricsFactory
        self.logger = logger
    }

    /// The hooks for `definitions`: `running` itself when they are the same, so a reload
    /// that does not touch them keeps their caches, breakers and connections; nil when
    /// there are none. A hook that cannot be built (`HookSetupError.diagnostic`) keeps
    /// the daemon from starting, and a reload from taking effect.
    public func hooks(for definitions: [HookDefinition], running: Hooks? = nil) throws(HookSetupError) -> Hooks? {
        guard !definitions.isEmpty else { return nil }
        if let running, running.definitions == Set(definitions) { return running }
        return try Hooks(definitions, environment: environment, metricsFactory: metricsFactory, logger: logger)
    }
}
