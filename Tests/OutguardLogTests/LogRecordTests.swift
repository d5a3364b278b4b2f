import Foundation
import Testing

@testable import OutguardLog

@Suite struct LogRecordTests {
    @Test func keysAreTheContractOfTheDesign() throws {
        var record = LogRecord(ts: Date(timeIntervalSince1970: 0), event: .violation)
        record.requestID = "og-1"
        record.upstreamStatus = 200
        let keys = try #require(
            JSONSerialization.jsonObject(with: JSONEncoder().encode(record)) as? [String: Any]
        ).keys
        #expect(Set(keys) == ["ts", "event", "request_id", "upstream_status"])
    }
}
