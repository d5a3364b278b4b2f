import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Timestamps as `2026-11-29T07:00:00.123Z`: UTC, always three fraction digits, so the log's
/// lines sort by time as text and every reader parses one fixed shape.
enum ISO8601Milliseconds {
    static func append(_ date: Date, to bytes: inout [UInt8]) {
        // Rounded, not truncated: `Date` holds seconds as a double, and a time made from
        // whole milliseconds can land a hair below its millisecond.
        let scaled = (date.timeIntervalSince1970 * 1000).rounded()
        // Beyond ±30,000 years no clock gives; writing the epoch beats trapping on them.
        let milliseconds = abs(scaled) < 1e15 ? Int(scaled) : 0
        let remainder = milliseconds % 1000
        var seconds = time_t(milliseconds / 1000 - (remainder < 0 ? 1 : 0))
        // `gmtime_r` does the calendar without allocating (and without the time zone).
        var time = tm()
        _ = gmtime_r(&seconds, &time)
        DecimalDigits.append(Int(time.tm_year) + 1900, to: &bytes, width: 4)
        bytes.append(UInt8(ascii: "-"))
        DecimalDigits.append(Int(time.tm_mon) + 1, to: &bytes, width: 2)
        bytes.append(UInt8(ascii: "-"))
        DecimalDigits.append(Int(time.tm_mday), to: &bytes, width: 2)
        bytes.append(UInt8(ascii: "T"))
        DecimalDigits.append(Int(time.tm_hour), to: &bytes, width: 2)
        bytes.append(UInt8(ascii: ":"))
        DecimalDigits.append(Int(time.tm_min), to: &bytes, width: 2)
        bytes.append(UInt8(ascii: ":"))
        DecimalDigits.append(Int(time.tm_sec), to: &bytes, width: 2)
        bytes.append(UInt8(ascii: "."))
        DecimalDigits.append(remainder < 0 ? remainder + 1000 : remainder, to: &bytes, width: 3)
        bytes.append(UInt8(ascii: "Z"))
    }
}
