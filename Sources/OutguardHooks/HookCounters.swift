public import CoreMetrics

/// What one hook has done since it was built: calls by outcome and the breaker's state,
/// for `/metrics` and `/readyz`.
public struct HookCounters: Sendable, Hashable {
    /// Calls by how they ended; cache hits and refusals included.
    public var calls: [HookOutcome: Int] = [:]
    public var breakerOpen = false
    /// How many times the breaker opened.
    public var breakerOpenings = 0
    /// Calls at the service now.
    public var inFlight = 0
    /// Calls waiting for a free slot now.
    public var queued = 0

    public init() {}

    public subscript(_ outcome: HookOutcome) -> Int { calls[outcome, default: 0] }

    /// Every call that ended without scores.
    public var failures: Int {
        calls.filter { $0.key != .ok && $0.key != .cacheHit }.values.reduce(0, +)
    }
}

/// A hook's metrics through swift-metrics, made from an explicit factory as the proxy's
/// are (never the process-wide bootstrap): `outguard_hook_calls_total{hook,outcome}` and
/// `outguard_hook_breaker_open{hook}` (1 while refusing calls).
public final class HookMetrics: Sendable {
    public enum Name {
        public static let calls = "outguard_hook_calls_total"
        public static let breakerOpen = "outguard_hook_breaker_open"
    }

    /// What each metric means, by name: the `# HELP` line of its export.
    public static let help: [String: String] = [
        Name.calls:
            "Classifier hook calls by hook and outcome (ok, cache_hit, timeout, unreachable, http_error, bad_body, breaker_open, overloaded).",
        Name.breakerOpen: "1 while a hook's circuit breaker refuses calls after repeated failures, else 0.",
    ]

    private let calls: [HookOutcome: Counter]
    private let breaker: Gauge

    public init(hook: String, factory: any MetricsFactory) {
        var calls: [HookOutcome: Counter] = [:]
        for outcome in HookOutcome.allCases {
            calls[outcome] = Counter(
                label: Name.calls, dimensions: [("hook", hook), ("outcome", outcome.rawValue)], factory: factory)
        }
        self.calls = calls
        breaker = Gauge(label: Name.breakerOpen, dimensions: [("hook", hook)], factory: factory)
        breaker.record(0)
    }

    func count(_ outcome: HookOutcome) {
        calls[outcome]?.increment()
    }

    func breaker(open: Bool) {
        breaker.record(open ? 1 : 0)
    }
}
