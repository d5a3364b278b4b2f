import NIOCore

/// The response deadlines of one event loop's exchanges, checked together by one timer
/// that runs while any is watched.
///
/// A task scheduled and cancelled per request cost about 3% of the daemon's time, and
/// NIO cancels a task by searching every task of its loop: with a thousand open streams,
/// a search of a thousand per response. Here watching and unwatching is an array slot.
/// A deadline fires up to one `tick` late.
final class DeadlineWatch<Watched: DeadlineWatched> {
    static var tick: TimeAmount { .milliseconds(50) }

    private let loop: any EventLoop
    private var watched: [Watched] = []
    private var sweep: Scheduled<Void>?

    init(loop: any EventLoop) { self.loop = loop }

    /// How many are watched.
    var count: Int { watched.count }

    /// Checks `exchange` from now on, until `unwatch`.
    func watch(_ exchange: Watched) {
        guard exchange.watchSlot == nil else { return }
        exchange.watchSlot = watched.count
        watched.append(exchange)
        if sweep == nil { scheduleCheck() }
    }

    func unwatch(_ exchange: Watched) {
        guard let slot = exchange.watchSlot else { return }
        exchange.watchSlot = nil
        let last = watched.removeLast()
        if slot < watched.count {
            watched[slot] = last
            last.watchSlot = slot
        }
    }

    private func checkDeadlines() {
        sweep = nil
        let now = loop.now
        // Timing out unwatches (and may start other work): collect first.
        for exchange in watched.filter({ $0.isOverdue(at: now) }) { exchange.timeOut() }
        if !watched.isEmpty { scheduleCheck() }
    }

    private func scheduleCheck() {
        // The task keeps this watch alive while it has exchanges to check.
        sweep = loop.assumeIsolated().scheduleTask(in: Self.tick) { self.checkDeadlines() }
    }
}

/// What a `DeadlineWatch` checks (an exchange, in the daemon).
protocol DeadlineWatched: AnyObject {
    /// Its place in the watch, kept by the watch.
    var watchSlot: Int? { get set }
    func isOverdue(at now: NIODeadline) -> Bool
    /// Called once when overdue; is to unwatch itself.
    func timeOut()
}
