public import Foundation

/// Whether a hook's service answered the latest call that reached for it, and when: for
/// the start-up warning of `lint` and `serve`, and for `/readyz`.
public enum HookHealth: Sendable, Hashable {
    /// No call has gone to the service yet.
    case notTried
    case reachable(at: Date)
    /// The latest call failed; `reason` is the failure's description.
    case unreachable(at: Date, reason: String)

    /// The health after a call that ended with `result` at `date`. Outguard's own refusals
    /// (breaker open, queue full) never reached the service, so they say nothing about it.
    func after(_ result: HookResult, at date: Date) -> HookHealth {
        switch result {
        case .success: .reachable(at: date)
        case .failure(let failure) where failure.countsAgainstService:
            .unreachable(at: date, reason: failure.description)
        case .failure: self
        }
    }
}
