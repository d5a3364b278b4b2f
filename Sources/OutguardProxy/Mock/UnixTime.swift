import OutguardLog

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Wall-clock seconds since 1970, as the APIs stamp their responses (`created`,
/// `created_at`), and their RFC 3339 form for Ollama.
enum UnixTime {
    /// The current time, whole seconds.
    static func now() -> Int { Int(time(nil)) }

    /// `seconds` as RFC 3339 in UTC (`2026-11-29T07:00:00Z`), the form Go's
    /// `time.RFC3339Nano` gives a whole second, which is what Ollama writes.
    static func rfc3339(_ seconds: Int) -> String {
        let days = seconds.floorDivided(by: 86_400)
        let secondOfDay = seconds - days * 86_400
        return LogTimestamp.dayString(days: days) + "T"
            + "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))Z"
    }

    private static func pad(_ number: Int, _ width: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

extension Int {
    /// Division rounding toward negative infinity, so times before 1970 still land on
    /// the right day.
    fileprivate func floorDivided(by divisor: Int) -> Int {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
