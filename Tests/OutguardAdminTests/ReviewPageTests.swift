import Foundation
import Hummingbird
import HummingbirdTesting
import OutguardLog
import Testing

@testable import OutguardAdmin

/// `/review`: the per-rule counts and the listed findings come from the log file, as
/// filtered, with log text escaped.
@Suite struct ReviewPageTests {
    /// Three rules: pii.email enforced (3 findings in 2 requests, one judged false
    /// positive, one correct), brand.competitors in shadow, secrets.key two hours ago.
    static let records: [LogRecord] = [
        violation("og-1", rule: "pii.email", pack: "pii", minutesAgo: 30),
        violation("og-1", rule: "pii.email", pack: "pii", minutesAgo: 30),
        violation("og-2", rule: "pii.email", pack: "pii", minutesAgo: 20),
        violation(
            "og-3", rule: "brand.competitors", pack: "brand", mode: "shadow", severity: "low", minutesAgo: 10,
            match: "A*** C***", context: "we beat Acme Corp <script>alert(1)</script> easily"),
        violation("og-4", rule: "secrets.key", pack: "secrets", severity: "high", minutesAgo: 120),
        feedback("og-1", rule: "pii.email", label: .falsePositive),
        feedback("og-2", rule: "pii.email", label: .correct),
    ]

    @Test func thePageShowsCountsPerRule() async throws {
        let admin = try AdminFixture(records: Self.records)
        try await admin.test { client in
            try await client.execute(uri: "/review", method: .get, headers: bearer) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
                // hits, enforced, shadow, requests, false positives, correct, precision
                #expect(ruleLine("pii.email", in: response.text) == ["3", "3", "0", "2", "1", "1", "50%"])
                #expect(ruleLine("brand.competitors", in: response.text) == ["1", "0", "1", "1", "0", "0", "–"])
                #expect(ruleLine("secrets.key", in: response.text) == ["1", "1", "0", "1", "0", "0", "–"])
                #expect(response.text.contains("5 violations in 4 requests."))
            }
        }
    }

    @Test func thePageListsFindingsNewestFirstWithTheirLabels() async throws {
        let admin = try AdminFixture(records: Self.records)
        try await admin.test { client in
            try await client.execute(uri: "/review", method: .get, headers: bearer) { response in
                #expect(listedRequests(in: response.text) == ["og-3", "og-2", "og-1", "og-1", "og-4"])
                #expect(response.text.contains("labelled false positive"))
                #expect(response.text.contains("labelled correct"))
                #expect(response.text.contains("would redact"))
                #expect(response.text.contains("openai.chat · gpt-4o-mini"))
                #expect(response.text.contains("…連絡先は [EMAIL] です…"))
                #expect(response.text.contains("<code>A*** C***</code>"))
            }
        }
    }

    @Test func logTextIsEscaped() async throws {
        let admin = try AdminFixture(records: Self.records)
        try await admin.test { client in
            try await client.execute(uri: "/review", method: .get, headers: bearer) { response in
                #expect(response.text.contains("Acme Corp &lt;script&gt;alert(1)&lt;/script&gt; easily"))
                #expect(!response.text.contains("<script"))
            }
        }
    }

    @Test(arguments: [
        ("/review?rule=pii.email", ["og-2", "og-1", "og-1"]),
        ("/review?pack=brand", ["og-3"]),
        ("/review?mode=shadow", ["og-3"]),
        ("/review?severity=high", ["og-4"]),
        ("/review?range=1h", ["og-3", "og-2", "og-1", "og-1"]),
        ("/review?range=1h&mode=enforce&rule=pii.email", ["og-2", "og-1", "og-1"]),
    ])
    func filtersChooseTheFindings(uri: String, expected: [String]) async throws {
        let admin = try AdminFixture(records: Self.records)
        try await admin.test { client in
            try await client.execute(uri: uri, method: .get, headers: bearer) { response in
                #expect(response.status == .ok)
                #expect(listedRequests(in: response.text) == expected)
            }
        }
    }

    @Test func filtersNarrowTheCountsToo() async throws {
        let admin = try AdminFixture(records: Self.records)
        try await admin.test { client in
            try await client.execute(uri: "/review?mode=shadow", method: .get, headers: bearer) { response in
                #expect(ruleLine("brand.competitors", in: response.text) == ["1", "0", "1", "1", "0", "0", "–"])
                #expect(ruleLine("pii.email", in: response.text) == nil)
                #expect(response.text.contains(#"<option value="shadow" selected>"#))
            }
            // Feedback has no severity: a rule with none of the chosen severity is not shown.
            try await client.execute(uri: "/review?severity=low", method: .get, headers: bearer) { response in
                #expect(ruleLine("pii.email", in: response.text) == nil)
                #expect(ruleLine("brand.competitors", in: response.text) != nil)
            }
        }
    }

    @Test func linesThatAreNotRecordsAreLeftOutAndCounted() async throws {
        let admin = try AdminFixture(records: Self.records)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: admin.logPath))
        try log.seekToEnd()
        try log.write(contentsOf: Data("a line cut short by a crash {\"ts\":\n".utf8))
        try log.close()
        try await admin.test { client in
            try await client.execute(uri: "/review", method: .get, headers: bearer) { response in
                #expect(response.status == .ok)
                #expect(listedRequests(in: response.text).count == 5)
                #expect(response.text.contains("1 line of the log could not be read and was left out"))
                #expect(response.text.contains("violations.jsonl:8: "))
            }
        }
    }

    @Test func anEmptyRangeSaysSo() async throws {
        let admin = try AdminFixture(records: [violation("og-9", rule: "pii.email", pack: "pii", minutesAgo: 3000)])
        try await admin.test { client in
            try await client.execute(uri: "/review", method: .get, headers: bearer) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("No violations in this range (last 24 hours)"))
                #expect(listedRequests(in: response.text).isEmpty)
            }
            try await client.execute(uri: "/review?range=all", method: .get, headers: bearer) { response in
                #expect(listedRequests(in: response.text) == ["og-9"])
            }
        }
    }

    @Test func withoutALogThePageSaysHowToConfigureOne() async throws {
        let admin = try AdminFixture(records: [], logConfigured: false)
        try await admin.test { client in
            try await client.execute(uri: "/review", method: .get, headers: bearer) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("No log configured."))
                #expect(!response.text.contains("Recent violations"))
            }
        }
    }

    @Test func anUnknownFilterValueIsA400ThatSaysWhatToChoose() async throws {
        let admin = try AdminFixture(records: Self.records)
        try await admin.test { client in
            try await client.execute(uri: "/review?mode=loud", method: .get, headers: bearer) { response in
                #expect(response.status == .badRequest)
                #expect(
                    response.text.contains(
                        "“loud” is not a mode the review page knows; choose one of: enforce, shadow."))
            }
        }
    }

    @Test func theListStopsAtTheLimitAndSaysHowManyMatched() async throws {
        let records = (0..<(ReviewLog.listLimit + 50)).map {
            violation("og-\($0)", rule: "pii.email", pack: "pii", minutesAgo: Double(300 - $0))
        }
        let admin = try AdminFixture(records: records)
        try await admin.test { client in
            try await client.execute(uri: "/review", method: .get, headers: bearer) { response in
                let listed = listedRequests(in: response.text)
                #expect(listed.count == ReviewLog.listLimit)
                #expect(listed.first == "og-\(ReviewLog.listLimit + 49)")
                #expect(response.text.contains("250 violations in 250 requests; the newest 200 are listed below."))
            }
        }
    }
}
