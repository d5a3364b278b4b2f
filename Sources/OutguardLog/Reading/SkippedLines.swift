/// A line of a log file that is not a record, and why.
public struct SkippedLine: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    /// 1-based.
    public let line: Int
    public let reason: String

    /// `file:line: reason`, the form editors and terminals jump to.
    public var description: String { "\(file):\(line): \(reason)" }
}

/// The lines a read skipped: all of them counted, the first few kept to show where.
/// A log cut short by a crash or mangled by a pipeline still reads; the user learns
/// once, at the end, how much was left out.
public struct SkippedLines: Sendable, Equatable, CustomStringConvertible {
    /// How many positions are kept: enough to find the problem, bounded for a file of garbage.
    static let shownCount = 5

    public private(set) var count = 0
    /// The first few skipped lines, in reading order.
    public private(set) var first: [SkippedLine] = []

    public init() {}

    mutating func append(_ line: SkippedLine) {
        count += 1
        if first.count < Self.shownCount { first.append(line) }
    }

    /// One paragraph for standard error; empty when nothing was skipped.
    public var description: String {
        guard count > 0 else { return "" }
        let more = count > first.count ? "\n  … and \(count - first.count) more" : ""
        let what = count == 1 ? "1 line that is not a log record" : "\(count) lines that are not log records"
        return "skipped \(what):\n"
            + first.map { "  \($0)" }.joined(separator: "\n") + more
    }
}
