import Foundation

/// Timestamps as `2026-11-29T07:00:00.123Z`: UTC, always three fraction digits, so the log's
/// lines sort by time as text and every reader parses one fixed shape.
///
/// The proxy writes one a response (its records share it), into a buffer made for that
/// response, so there is no earlier second to remember: each is written straight into the
/// line.
enum ISO8601Milliseconds {
    static func append(_ date: Date, to bytes: inout [UInt8]) {
        // Rounded, not truncated: `Date` holds seconds as a double, and a time made from
        // whole milliseconds can land a hair below its millisecond.
        let scaled = (date.timeIntervalSince1970 * 1000).rounded()
        // Beyond ±30,000 years no clock gives; writing the epoch beats trapping on them.
        let milliseconds = abs(scaled) < 1e15 ? Int(scaled) : 0
        let remainder = milliseconds % 1000
        let seconds = milliseconds / 1000 - (remainder < 0 ? 1 : 0)
        appendSecond(seconds, to: &bytes)
        bytes.append(UInt8(ascii: "."))
        DecimalDigits.append(remainder < 0 ? remainder + 1000 : remainder, to: &bytes, width: 3)
        bytes.append(UInt8(ascii: "Z"))
    }

    private static func appendSecond(_ seconds: Int, to bytes: inout [UInt8]) {
        // The calendar by arithmetic rather than `gmtime_r`, which takes glibc's time-zone
        // lock: every event loop writes timestamps.
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = LogTimestamp.civilDate(fromDays: days)
        DecimalDigits.append(year, to: &bytes, width: 4)
        bytes.append(UInt8(ascii: "-"))
        DecimalDigits.append(month, to: &bytes, width: 2)
        bytes.append(UInt8(ascii: "-"))
        DecimalDigits.append(day, to: &bytes, width: 2)
        bytes.append(UInt8(ascii: "T"))
        DecimalDigits.append(secondOfDay / 3600, to: &bytes, width: 2)
        bytes.append(UInt8(ascii: ":"))
        DecimalDigits.append(secondOfDay / 60 % 60, to: &bytes, width: 2)
        bytes.append(UInt8(ascii: ":"))
        DecimalDigits.append(secondOfDay % 60, to: &bytes, width: 2)
    }
}
