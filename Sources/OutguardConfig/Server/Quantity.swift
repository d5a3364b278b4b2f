/// Numbers in settings: counts, milliseconds and byte sizes, each within a range that keeps
/// the proxy's arithmetic (buffer sizes, NIO time amounts) from overflowing.
enum Quantity {
    static let sizes = 1...(1 << 40)
    static let milliseconds = 1...86_400_000
    /// Faster than every 50 ms would only burn CPU on stat calls.
    static let watchInterval = 50...3_600_000
    static let workers = 1...1_024
    static let connections = 1...100_000
    /// Rotated log files kept; 0 keeps none.
    static let rotatedFiles = 0...1_000
    /// Records waiting for the log's disk: 16 Mi of them is gigabytes already.
    static let queuedRecords = 1...(1 << 24)

    /// A whole number; `name` is the setting as the user wrote it, for messages.
    static func count(
        _ text: String, name: String, range: ClosedRange<Int>, example: Int
    ) -> Result<Int, ValueProblem> {
        guard let value = integer(text) else {
            return .failure(ValueProblem("`\(name)` must be a whole number, not `\(text)`", examples: ["\(example)"]))
        }
        return check(value, name: name, range: range, example: "\(example)")
    }

    /// Bytes, written as a whole number or with a unit: `65536`, `64KB`, `10 MB`, `1GiB`.
    /// KB, MB and GB count in 1024s, as nginx and most proxies do.
    static func size(_ text: String, name: String, example: String) -> Result<Int, ValueProblem> {
        // A leading `-` stays with the number, so `-1` is "at least 1", not "not a size".
        let sign = text.hasPrefix("-") ? "-" : ""
        let digits = sign + text.dropFirst(sign.count).prefix { $0.isASCIIDigit || $0 == "_" }
        let unit = text.dropFirst(digits.count).drop { $0 == " " }.lowercased()
        guard let number = integer(digits), let shift = unitShifts[unit] else {
            return .failure(ValueProblem(
                "`\(name)` must be a size in bytes, or a number with KB, MB or GB; not `\(text)`", examples: [example]))
        }
        let (value, overflow) = number.multipliedReportingOverflow(by: 1 << shift)
        return check(overflow ? Int.max : value, name: name, range: sizes, example: example)
    }

    private static let unitShifts: [String: Int] = [
        "": 0, "b": 0, "k": 10, "kb": 10, "kib": 10, "m": 20, "mb": 20, "mib": 20, "g": 30, "gb": 30, "gib": 30,
    ]

    /// Digits, with `_` between them allowed for readability (`10_000`).
    private static func integer(_ text: String) -> Int? {
        guard let first = text.first, first.isASCIIDigit || first == "-",
              !text.hasSuffix("_"), !text.contains("__") else { return nil }
        return Int(text.filter { $0 != "_" })
    }

    private static func check(
        _ value: Int, name: String, range: ClosedRange<Int>, example: String
    ) -> Result<Int, ValueProblem> {
        if value < range.lowerBound {
            return .failure(ValueProblem(
                "`\(name)` must be at least \(range.lowerBound), not \(value)", examples: [example]))
        }
        if value > range.upperBound {
            return .failure(ValueProblem("`\(name)` must be at most \(range.upperBound)", examples: [example]))
        }
        return .success(value)
    }
}
