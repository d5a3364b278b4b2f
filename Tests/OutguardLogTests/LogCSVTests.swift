import Foundation
import Testing

@testable import OutguardLog

@Suite struct LogCSVTests {
    @Test func headerIsTheLogsKeysInOrder() {
        #expect(
            LogCSV.header
                == "ts,event,request_id,policy,ruleset,pack,rule,action,mode,severity,provider,model,stream,choice,span,"
                + "match,context,detail,scores,rules,findings,upstream_status,latency_ms,label,note,source,old_ruleset")
    }

    @Test func fieldsWithCommasQuotesAndLineBreaksAreQuoted() {
        var record = LogRecord(ts: LogTimestamp.date(from: "2026-11-29T07:00:00.123Z")!, event: .violation)
        record.requestID = "og-1"
        record.span = [120, 142]
        record.rules = ["pii.email", "pii.phone-jp"]
        record.stream = true
        record.context = "he said \"hi\", then\nleft"
        record.note = "plain 日本語"
        record.scores = ["hate": 0.25, "harassment": 0.93]
        let fields = LogCSV.row(record)
        #expect(
            fields
                == "2026-11-29T07:00:00.123Z,violation,og-1,,,,,,,,,,true,,120 142,,\"he said \"\"hi\"\", then\nleft\",,harassment=0.93 hate=0.25,"
                + "pii.email pii.phone-jp,,,,,plain 日本語,,")
    }
}
