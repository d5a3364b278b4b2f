import Foundation
import Testing

@testable import OutguardLog

@Suite struct LogSummaryTests {
    /// One row's numbers, in the order of the table: hits, enforced, shadow, requests,
    /// false_positive, false_negative, correct.
    struct Numbers: Equatable, CustomStringConvertible {
        let key: String
        let counts: [Int]
        let precision: Double?

        init(_ key: String, _ counts: [Int], _ precision: Double?) {
            self.key = key
            self.counts = counts
            self.precision = precision
        }

        init(_ key: String, _ counts: LogSummary.Counts) {
            self.init(
                key,
                [
                    counts.hits, counts.enforced, counts.shadow, counts.requests, counts.falsePositive,
                    counts.falseNegative, counts.correct,
                ], counts.precision)
        }

        var description: String { "\(key) \(counts) \(precision.map { "\($0)" } ?? "–")" }
    }

    private func summary(_ grouping: LogSummary.Grouping, _ query: LogQuery = LogQuery()) throws -> [Numbers] {
        var summarizer = LogSummarizer(grouping: grouping, query: query)
        for line in SampleLog.lines { summarizer.add(try LineFixture.decode(line)) }
        let summary = summarizer.summary()
        return summary.rows.map { Numbers($0.key, $0.counts) } + [Numbers("total", summary.total)]
    }

    @Test func byRule() throws {
        #expect(
            try summary(.rule) == [
                Numbers("pii.email", [3, 3, 0, 2, 1, 0, 1], 0.5),
                Numbers("brand.competitors", [2, 0, 2, 2, 2, 0, 0], 0),
                Numbers("pii.phone-jp", [0, 0, 0, 0, 0, 1, 0], nil),
                Numbers("total", [5, 3, 2, 3, 3, 1, 1], 0.25),
            ])
    }

    @Test func byPack() throws {
        #expect(
            try summary(.pack) == [
                Numbers("pii", [3, 3, 0, 2, 1, 1, 1], 0.5),
                Numbers("brand", [2, 0, 2, 2, 2, 0, 0], 0),
                Numbers("total", [5, 3, 2, 3, 3, 1, 1], 0.25),
            ])
    }

    /// By model, feedback counts where its request's hits are; og-2's feedback without a
    /// rule names two rules but one model, so it counts once there.
    @Test func byModel() throws {
        #expect(
            try summary(.model) == [
                Numbers("gpt-4o-mini", [3, 2, 1, 2, 1, 0, 1], 0.5),
                Numbers("gpt-4o", [2, 1, 1, 1, 1, 0, 0], 0),
                Numbers("(none)", [0, 0, 0, 0, 0, 1, 0], nil),
                Numbers("total", [5, 3, 2, 3, 2, 1, 1], 1.0 / 3),
            ])
    }

    @Test func byDayInOrder() throws {
        #expect(
            try summary(.day) == [
                Numbers("2026-11-29", [4, 3, 1, 2, 1, 0, 1], 0.5),
                Numbers("2026-11-30", [1, 0, 1, 1, 1, 1, 0], 0),
                Numbers("total", [5, 3, 2, 3, 2, 1, 1], 1.0 / 3),
            ])
    }

    @Test func modeShowsOnlyThatModesHitsAndTheirFeedback() throws {
        #expect(
            try summary(.rule, LogQuery(mode: "shadow")) == [
                Numbers("brand.competitors", [2, 0, 2, 2, 2, 0, 0], 0),
                Numbers("total", [2, 0, 2, 2, 2, 0, 0], 0),
            ])
    }

    /// Feedback after `since` still finds the rules of requests whose hits were before it.
    @Test func sinceCountsLaterFeedbackOnEarlierRequests() throws {
        let since = LogTimestamp.date(from: "2026-11-30")
        #expect(
            try summary(.rule, LogQuery(since: since)) == [
                Numbers("brand.competitors", [1, 0, 1, 1, 2, 0, 0], 0),
                Numbers("pii.email", [0, 0, 0, 0, 1, 0, 1], 0.5),
                Numbers("pii.phone-jp", [0, 0, 0, 0, 0, 1, 0], nil),
                Numbers("total", [1, 0, 1, 1, 3, 1, 1], 0.25),
            ])
    }

    @Test func ruleAndPackFiltersApplyToFeedbackToo() throws {
        #expect(
            try summary(.model, LogQuery(rule: "pii.email")) == [
                Numbers("gpt-4o-mini", [2, 2, 0, 1, 0, 0, 1], 1),
                Numbers("gpt-4o", [1, 1, 0, 1, 1, 0, 0], 0),
                Numbers("total", [3, 3, 0, 2, 1, 0, 1], 0.5),
            ])
        #expect(try summary(.rule, LogQuery(pack: "brand")).map(\.key) == ["brand.competitors", "total"])
    }

    /// Feedback read before the request's hits (another sidecar's file first) counts the same.
    @Test func feedbackBeforeItsRequestIsPlacedAtTheEnd() throws {
        var summarizer = LogSummarizer(grouping: .rule)
        for line in SampleLog.lines.reversed() { summarizer.add(try LineFixture.decode(line)) }
        let summary = summarizer.summary()
        #expect(
            summary.rows.map { Numbers($0.key, $0.counts) }.first == Numbers("pii.email", [3, 3, 0, 2, 1, 0, 1], 0.5))
    }

    @Test func jsonShape() throws {
        var summarizer = LogSummarizer(grouping: .rule)
        for line in SampleLog.lines { summarizer.add(try LineFixture.decode(line)) }
        let json = try #require(
            JSONSerialization.jsonObject(with: JSONEncoder().encode(summarizer.summary())) as? [String: Any])
        #expect(json["by"] as? String == "rule")
        let rows = try #require(json["rows"] as? [[String: Any]])
        let countKeys: Set = [
            "hits", "enforced", "shadow", "requests", "false_positive", "false_negative", "correct", "precision",
        ]
        #expect(rows.map { Set($0.keys) } == Array(repeating: countKeys.union(["rule"]), count: 3))
        #expect(rows[0]["rule"] as? String == "pii.email")
        #expect(rows[0]["precision"] as? Double == 0.5)
        #expect(rows[2]["precision"] is NSNull)
        let total = try #require(json["total"] as? [String: Any])
        #expect(Set(total.keys) == countKeys)
        #expect(total["requests"] as? Int == 3)
    }
}
