import NIOCore

/// The breaker of one hook, as a state machine: the caller asks before each call and
/// reports how it ended; the breaker does no I/O and reads no clock of its own.
///
/// Closed, it counts consecutive failures; at `failureThreshold` it opens for `coolDown`,
/// and every call is refused at once instead of costing its timeout. After the cool-down
/// it lets exactly one trial call through (half-open): a good answer closes it, a failure
/// opens it for another cool-down.
struct CircuitBreaker {
    enum State: Equatable {
        case closed(failures: Int)
        case open(until: NIODeadline)
        /// The trial call is in flight; others are refused until it ends.
        case halfOpen
    }

    /// What the caller may do.
    enum Permit: Equatable {
        case call
        /// The one call that decides whether the breaker closes.
        case trial
        case refuse
    }

    static let defaultFailureThreshold = 5
    static let defaultCoolDown = TimeAmount.seconds(5)

    let failureThreshold: Int
    let coolDown: TimeAmount
    private(set) var state = State.closed(failures: 0)
    /// How many times it opened.
    private(set) var openings = 0

    init(failureThreshold: Int = defaultFailureThreshold, coolDown: TimeAmount = defaultCoolDown) {
        precondition(failureThreshold >= 1)
        self.failureThreshold = failureThreshold
        self.coolDown = coolDown
    }

    /// Whether calls are being refused (open, or half-open with the trial in flight).
    var isOpen: Bool { if case .closed = state { false } else { true } }

    mutating func permit(now: NIODeadline) -> Permit {
        switch state {
        case .closed: return .call
        case .halfOpen: return .refuse
        case .open(let until):
            guard now >= until else { return .refuse }
            state = .halfOpen
            return .trial
        }
    }

    /// A call ended with an answer: the service works.
    mutating func succeeded() {
        state = .closed(failures: 0)
    }

    /// A call ended with a failure of the service (not one of Outguard's own refusals).
    mutating func failed(now: NIODeadline) {
        switch state {
        case .closed(let failures) where failures + 1 < failureThreshold:
            state = .closed(failures: failures + 1)
        case .closed, .halfOpen:
            state = .open(until: now + coolDown)
            openings += 1
        case .open:
            // A call that started before the breaker opened: it is open already.
            break
        }
    }

    /// The trial was refused before it reached the service (the queue was full): the
    /// next call becomes the trial.
    mutating func trialAbandoned(now: NIODeadline) {
        if state == .halfOpen { state = .open(until: now) }
    }
}
