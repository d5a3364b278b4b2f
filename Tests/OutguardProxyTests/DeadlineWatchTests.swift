import NIOCore
import NIOEmbedded
import Testing

@testable import OutguardProxy

@Suite struct DeadlineWatchTests {
    final class Waiter: DeadlineWatched {
        var watchSlot: Int?
        let deadline: NIODeadline
        var timedOut = false
        weak var watch: DeadlineWatch<Waiter>?

        init(_ deadline: NIODeadline) { self.deadline = deadline }
        func isOverdue(at now: NIODeadline) -> Bool { deadline <= now }
        func timeOut() {
            timedOut = true
            watch?.unwatch(self)
        }
    }

    /// Waiters leave in any order, the others stay watched; the overdue ones time out
    /// at the next check after their deadline, once; with none left the timer stops.
    @Test func overdueOnesTimeOutAndTheRestStayWatched() {
        let loop = EmbeddedEventLoop()
        let watch = DeadlineWatch<Waiter>(loop: loop)
        let start = loop.now
        let waiters = (0..<8).map { Waiter(start + .milliseconds(Int64(100 * ($0 % 4 + 1)))) }
        for waiter in waiters {
            waiter.watch = watch
            watch.watch(waiter)
            watch.watch(waiter)  // twice is once
        }
        #expect(watch.count == 8)
        // Answered in time, from the middle and the ends of the watch.
        for index in [3, 0, 7, 4] { watch.unwatch(waiters[index]) }
        watch.unwatch(waiters[0])
        #expect(watch.count == 4)

        loop.advanceTime(by: .milliseconds(199))
        #expect(waiters.allSatisfy { !$0.timedOut })
        loop.advanceTime(by: .milliseconds(60))
        #expect(waiters.map(\.timedOut) == [false, true, false, false, false, true, false, false])
        #expect(watch.count == 2)
        loop.advanceTime(by: .milliseconds(100))
        #expect(waiters.map(\.timedOut) == [false, true, true, false, false, true, true, false])
        #expect(watch.count == 0)
        #expect(waiters.allSatisfy { $0.watchSlot == nil })

        // Watched again later, the timer starts again.
        let late = Waiter(loop.now + .milliseconds(10))
        late.watch = watch
        watch.watch(late)
        loop.advanceTime(by: DeadlineWatch<Waiter>.tick)
        #expect(late.timedOut && watch.count == 0)
    }
}
