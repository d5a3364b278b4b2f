import Foundation
import Testing

@testable import OutguardLog

@Suite struct LogTimestampTests {
    @Test func theWritersFormRoundTrips() throws {
        for text in [
            "2026-11-29T07:00:00.123Z", "2024-02-29T23:59:59.999Z", "1970-01-01T00:00:00.000Z",
            "1969-12-31T23:59:59.001Z",
        ] {
            let date = try #require(LogTimestamp.date(from: text))
            #expect(LogTimestamp.string(from: date) == text)
        }
    }

    @Test func otherISOFormsMeanTheSameInstant() throws {
        let utc = try #require(LogTimestamp.date(from: "2026-11-29T07:00:00.123Z"))
        #expect(LogTimestamp.date(from: "2026-11-29T16:00:00.123+09:00") == utc)
        #expect(LogTimestamp.date(from: "2026-11-29T02:00:00.123-0500") == utc)
        #expect(LogTimestamp.date(from: "2026-11-29 07:00:00.123") == utc)
        #expect(LogTimestamp.date(from: "2026-11-29T07:00Z") == LogTimestamp.date(from: "2026-11-29T07:00:00.000Z"))
        #expect(LogTimestamp.date(from: "2026-11-29") == LogTimestamp.date(from: "2026-11-29T00:00:00Z"))
        #expect(LogTimestamp.date(from: "2026-11-29")?.timeIntervalSince1970 == 1_795_910_400)
        #expect(LogTimestamp.date(from: "2026-11-29T07:00:00.123456789Z")?.timeIntervalSince(utc) ?? 1 < 0.001)
    }

    @Test func whatIsNotADateIsNil() {
        for text in [
            "", "2026-02-29", "2026-13-01", "2026-11-29T24:00", "2026-11-29T07", "2026-11-29T07:00:00.Z", "29/11/2026",
            "2026-11-29Tx", "2026-11-29T07:00:00+9",
        ] {
            #expect(LogTimestamp.date(from: text) == nil, "\(text)")
        }
    }

    @Test func daysAreUTCDays() throws {
        let late = try #require(LogTimestamp.date(from: "2026-11-29T23:59:59.999Z"))
        let next = try #require(LogTimestamp.date(from: "2026-11-30T00:00:00.000Z"))
        #expect(LogTimestamp.dayNumber(of: next) == LogTimestamp.dayNumber(of: late) + 1)
        #expect(LogTimestamp.dayString(days: LogTimestamp.dayNumber(of: late)) == "2026-11-29")
        #expect(LogTimestamp.dayString(days: -1) == "1969-12-31")
    }
}
