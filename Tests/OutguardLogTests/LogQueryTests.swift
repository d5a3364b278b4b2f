import Foundation
import Testing

@testable import OutguardLog

@Suite struct LogQueryTests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    @Test func sinceTakesDurationsBackFromNow() {
        #expect(LogQuery.start(since: "30m", now: now) == now.addingTimeInterval(-1800))
        #expect(LogQuery.start(since: "24h", now: now) == now.addingTimeInterval(-86_400))
        #expect(LogQuery.start(since: "7d", now: now) == now.addingTimeInterval(-7 * 86_400))
        #expect(LogQuery.start(since: "2w", now: now) == now.addingTimeInterval(-14 * 86_400))
        #expect(LogQuery.start(since: "1.5h", now: now) == now.addingTimeInterval(-5400))
        #expect(LogQuery.start(since: "90s", now: now) == now.addingTimeInterval(-90))
    }

    @Test func sinceTakesDatesAndTimes() {
        #expect(LogQuery.start(since: "2026-11-29", now: now) == LogTimestamp.date(from: "2026-11-29T00:00:00.000Z"))
        #expect(
            LogQuery.start(since: "2026-11-29T07:00", now: now) == LogTimestamp.date(from: "2026-11-29T07:00:00.000Z"))
    }

    @Test func sinceRejectsWhatItCannotRead() {
        for text in ["", "h", "24", "-1h", "24 h", "1e3h", "yesterday", "24hours", "2026-11-31"] {
            #expect(LogQuery.start(since: text, now: now) == nil, "\(text)")
        }
    }

    @Test func everyFilterMustHold() throws {
        let records = try SampleLog.lines.map(LineFixture.decode)
        func requestIDs(_ query: LogQuery) -> [String] { records.filter(query.matches).map { $0.requestID ?? "-" } }
        #expect(requestIDs(LogQuery(rule: "brand.competitors")) == ["og-2", "og-3", "og-3"])
        // A request summary matches a rule it lists.
        #expect(requestIDs(LogQuery(rule: "pii.email", event: .request)) == ["og-1"])
        #expect(requestIDs(LogQuery(pack: "pii", mode: "enforce")) == ["og-1", "og-1", "og-2"])
        #expect(requestIDs(LogQuery(event: .reload)) == ["-"])
        let since = LogTimestamp.date(from: "2026-11-30T10:00:01Z")
        #expect(requestIDs(LogQuery(since: since, event: .feedback)) == ["og-2", "og-3", "og-9"])
        #expect(requestIDs(LogQuery()).count == SampleLog.lines.count)
    }
}
