/// Why a hook gave no scores. Every failure is a value: the caller applies the hook's
/// `on_error` and records an `engine_error` finding; nothing here throws at the caller.
public enum HookFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// No answer within `timeout_ms` (waiting for a free slot, connecting and answering).
    case timeout
    /// The connection could not be made, or closed before the answer was complete.
    case unreachable(String)
    /// The service answered with a status other than 2xx.
    case httpStatus(Int)
    /// The answer is not the protocol's JSON, or a score is missing, not a number, or not in 0...1.
    case badBody(String)
    /// The breaker is open after repeated failures: the call was not made.
    case breakerOpen
    /// `max_concurrency` calls were in flight and the queue behind them was full: the call was not made.
    case overloaded

    /// The outcome it is counted as.
    public var outcome: HookOutcome {
        switch self {
        case .timeout: .timeout
        case .unreachable: .unreachable
        case .httpStatus: .httpError
        case .badBody: .badBody
        case .breakerOpen: .breakerOpen
        case .overloaded: .overloaded
        }
    }

    /// Whether the failure says something about the service (and so moves the breaker).
    var countsAgainstService: Bool {
        switch self {
        case .timeout, .unreachable, .httpStatus, .badBody: true
        case .breakerOpen, .overloaded: false
        }
    }

    public var description: String {
        switch self {
        case .timeout: "no answer in time"
        case .unreachable(let reason): "unreachable: \(reason)"
        case .httpStatus(let status): "answered HTTP \(status)"
        case .badBody(let reason): "bad answer: \(reason)"
        case .breakerOpen: "breaker open after repeated failures"
        case .overloaded: "too many calls waiting"
        }
    }
}

/// How one call ended, as `outguard_hook_calls_total{outcome}` counts it.
public enum HookOutcome: String, Sendable, Hashable, CaseIterable {
    /// Scores from the service.
    case ok
    /// Scores from the cache, without a round trip.
    case cacheHit = "cache_hit"
    case timeout
    case unreachable
    case httpError = "http_error"
    case badBody = "bad_body"
    case breakerOpen = "breaker_open"
    case overloaded
}

/// A hook's scores for one text, by category, each in 0...1.
public struct HookScores: Sendable, Hashable {
    public var scores: [String: Double]
    /// Whether they came from the cache.
    public var cached: Bool

    public init(scores: [String: Double], cached: Bool = false) {
        self.scores = scores
        self.cached = cached
    }

    /// The categories of `categories` that score at or above `threshold`, with their scores.
    public func flagged(_ categories: [String], threshold: Double) -> [String: Double] {
        var flagged: [String: Double] = [:]
        for category in categories {
            if let score = scores[category], score >= threshold { flagged[category] = score }
        }
        return flagged
    }
}

/// What a call gives: scores, or why there are none.
public typealias HookResult = Result<HookScores, HookFailure>
