public import Foundation

/// The log's timestamps: ISO 8601 in UTC with milliseconds, `2026-11-29T07:00:00.123Z`.
///
/// Read and written by hand because the review tools handle one per record:
/// `ISO8601DateFormatter` and `Date.ISO8601FormatStyle` take microseconds per call,
/// which alone would use a good part of the budget for a million records; this takes
/// tens of nanoseconds and allocates nothing when reading.
public enum LogTimestamp {
    /// Reads `YYYY-MM-DD`, optionally followed by `THH:MM`, `:SS`, a fraction and `Z` or
    /// `±HH:MM`. A time without a zone is UTC, like every time in the log.
    public static func date(from text: String) -> Date? {
        var text = text
        return text.withUTF8 { date(from: UnsafeRawBufferPointer($0)) }
    }

    /// `2026-11-29T07:00:00.123Z`, the form the log is written in (by the same code).
    public static func string(from date: Date) -> String {
        var bytes: [UInt8] = []
        ISO8601Milliseconds.append(date, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The UTC day of a date as days since 1970-01-01, for grouping by day.
    public static func dayNumber(of date: Date) -> Int {
        Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    /// `2026-11-29` for a day number (days since 1970-01-01), in the proleptic Gregorian calendar.
    public static func dayString(days: Int) -> String {
        let (year, month, day) = civilDate(fromDays: days)
        return padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2)
    }

    static func date(from bytes: UnsafeRawBufferPointer) -> Date? {
        var reader = DigitReader(bytes: bytes)
        guard let year = reader.number(digits: 4), reader.skip("-"), let month = reader.number(digits: 2),
            reader.skip("-"), let day = reader.number(digits: 2), (1...12).contains(month),
            (1...daysInMonth(month, year: year)).contains(day)
        else { return nil }
        var seconds = Double(daysFromCivil(year: year, month: month, day: day)) * 86_400
        if reader.isAtEnd { return Date(timeIntervalSince1970: seconds) }

        guard reader.skip("T") || reader.skip(" "), let hour = reader.number(digits: 2), reader.skip(":"),
            let minute = reader.number(digits: 2), hour < 24, minute < 60
        else { return nil }
        seconds += Double(hour * 3600 + minute * 60)
        if reader.skip(":") {
            guard let second = reader.number(digits: 2), second < 61 else { return nil }
            seconds += Double(second)
            if reader.skip(".") {
                guard let fraction = reader.fraction() else { return nil }
                seconds += fraction
            }
        }
        if reader.skip("Z") || reader.isAtEnd {
            return reader.isAtEnd ? Date(timeIntervalSince1970: seconds) : nil
        }
        let sign: Double
        if reader.skip("+") {
            sign = 1
        } else if reader.skip("-") {
            sign = -1
        } else {
            return nil
        }
        guard let offsetHours = reader.number(digits: 2) else { return nil }
        _ = reader.skip(":")  // ISO 8601 allows both +09:00 and +0900
        guard let offsetMinutes = reader.number(digits: 2), reader.isAtEnd else { return nil }
        return Date(timeIntervalSince1970: seconds - sign * Double(offsetHours * 3600 + offsetMinutes * 60))
    }

    /// Howard Hinnant's `days_from_civil`: proleptic Gregorian date → days since 1970-01-01.
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let year = month <= 2 ? year - 1 : year
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The inverse, `civil_from_days`.
    static func civilDate(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func daysInMonth(_ month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let remainder = value % divisor
        return remainder < 0 ? (value / divisor - 1, remainder + divisor) : (value / divisor, remainder)
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// A cursor over the ASCII digits and separators of a timestamp.
private struct DigitReader {
    let bytes: UnsafeRawBufferPointer
    var index = 0

    var isAtEnd: Bool { index == bytes.count }

    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    mutating func number(digits: Int) -> Int? {
        guard index + digits <= bytes.count else { return nil }
        var value = 0
        for offset in 0..<digits {
            let digit = Int(bytes[index + offset]) - 48
            guard (0...9).contains(digit) else { return nil }
            value = value * 10 + digit
        }
        index += digits
        return value
    }

    /// The digits after the decimal point, as a fraction of a second; digits past
    /// nanoseconds are read and ignored.
    mutating func fraction() -> Double? {
        var value = 0
        var scale = 1
        let start = index
        while index < bytes.count, (48...57).contains(bytes[index]) {
            if scale < 1_000_000_000 {
                value = value * 10 + Int(bytes[index] - 48)
                scale *= 10
            }
            index += 1
        }
        return index > start ? Double(value) / Double(scale) : nil
    }
}
