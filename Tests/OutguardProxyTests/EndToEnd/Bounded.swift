/// Waiting with an upper bound: an end-to-end test that hangs is a failed test, never
/// a stuck run.
enum Bounded {
    /// `body` did not finish within its limit.
    struct TimedOut: Error, CustomStringConvertible {
        var what: String
        var limit: Duration
        var description: String { "\(what) did not finish within \(limit)" }
    }

    /// Runs `body`, cancelling it and throwing `TimedOut` once `limit` has passed.
    /// `body` must react to cancellation (NIO async channels and `Task.sleep` do).
    static func run<T: Sendable>(
        _ what: String, within limit: Duration = .seconds(10), _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                throw TimedOut(what: what, limit: limit)
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    /// Polls `condition` until it holds or `limit` has passed; returns whether it held.
    static func eventually(
        within limit: Duration = .seconds(5), every interval: Duration = .milliseconds(5),
        _ condition: () async -> Bool
    ) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while await !condition() {
            guard clock.now < deadline, !Task.isCancelled else { return await condition() }
            try? await Task.sleep(for: interval)
        }
        return true
    }
}
