import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns one line of the log into a `LogRecord`.
///
/// Hand-written instead of `JSONDecoder` for speed: the review commands must summarize
/// a million records in under 5 s on the 2-core machines. Reading the 1,000,000 records
/// of `bench/log_records.py` (470 MB, release build) took 28.1 s of CPU with
/// `JSONDecoder` (ISO 8601 dates with fractions) and 2.1 s with this decoder, measured
/// side by side on the same (busy) machine. It reads the line's bytes in place, finds
/// keys without making strings of them, parses the timestamp by hand, and makes a
/// `String` only for the values the record keeps.
///
/// Keys it does not know are skipped (the schema may grow), and so are the keys the
/// read's `LogReader.Detail` leaves out (their values are scanned, not checked); `null`
/// is read as absent.
/// The `switch` over `LogRecord.CodingKeys` is exhaustive, so a key added to the record
/// does not compile until it is read here too.
enum LogRecordDecoder {
    static func decode(_ line: UnsafeRawBufferPointer, detail: LogReader.Detail = .full) throws(BadLine) -> LogRecord {
        let wanted = detail == .full ? ~0 : countingFields
        var cursor = JSONCursor(line)
        guard cursor.skip("{") else { throw BadLine(reason: "not a JSON object") }
        var record = LogRecord(ts: Date(timeIntervalSince1970: 0), event: .violation)
        var hasTimestamp = false
        var hasEvent = false
        if !cursor.skip("}") {
            repeat {
                let name = try cursor.rawString()
                try cursor.expect(":")
                guard let (key, bit) = key(named: name), wanted & bit != 0 else {
                    try cursor.skipValue()
                    continue
                }
                if cursor.skipNull() { continue }
                switch key {
                case .ts:
                    let (text, _) = try cursor.rawString()
                    guard let date = LogTimestamp.date(from: text) else {
                        throw BadLine(
                            reason: "\"ts\" is not an ISO 8601 time: \(String(decoding: text, as: UTF8.self))")
                    }
                    record.ts = date
                    hasTimestamp = true
                case .event:
                    let name = try cursor.string()
                    guard let event = LogRecord.Event(rawValue: name) else {
                        throw BadLine(reason: "unknown event \"\(name)\"")
                    }
                    record.event = event
                    hasEvent = true
                case .requestID: record.requestID = try cursor.string()
                case .policy: record.policy = try cursor.string()
                case .ruleset: record.ruleset = try cursor.string()
                case .pack: record.pack = try cursor.string()
                case .rule: record.rule = try cursor.string()
                case .action: record.action = try cursor.string()
                case .mode: record.mode = try cursor.string()
                case .severity: record.severity = try cursor.string()
                case .provider: record.provider = try cursor.string()
                case .model: record.model = try cursor.string()
                case .stream: record.stream = try cursor.bool()
                case .choice: record.choice = try cursor.integer()
                case .span: record.span = try array(&cursor) { cursor throws(BadLine) in try cursor.integer() }
                case .match: record.match = try cursor.string()
                case .context: record.context = try cursor.string()
                case .detail: record.detail = try cursor.string()
                case .scores: record.scores = try numbers(&cursor)
                case .rules: record.rules = try array(&cursor) { cursor throws(BadLine) in try cursor.string() }
                case .findings: record.findings = try cursor.integer()
                case .upstreamStatus: record.upstreamStatus = try cursor.integer()
                case .latencyMs: record.latencyMs = try cursor.number()
                case .label:
                    let name = try cursor.string()
                    guard let label = LogRecord.Label(rawValue: name) else {
                        throw BadLine(reason: "unknown label \"\(name)\"")
                    }
                    record.label = label
                case .note: record.note = try cursor.string()
                case .source: record.source = try cursor.string()
                case .oldRuleset: record.oldRuleset = try cursor.string()
                }
            } while try endOfMember(&cursor)
        }
        guard cursor.isAtEnd else { throw BadLine(reason: "text after the record") }
        guard hasTimestamp else { throw BadLine(reason: "no \"ts\"") }
        guard hasEvent else { throw BadLine(reason: "no \"event\"") }
        return record
    }

    /// After a member: `true` at a comma (another member follows), `false` at the end.
    private static func endOfMember(_ cursor: inout JSONCursor) throws(BadLine) -> Bool {
        if cursor.skip(",") { return true }
        try cursor.expect("}")
        return false
    }

    private static func array<Element>(
        _ cursor: inout JSONCursor, _ element: (inout JSONCursor) throws(BadLine) -> Element
    ) throws(BadLine) -> [Element] {
        try cursor.expect("[")
        var elements: [Element] = []
        if cursor.skip("]") { return elements }
        repeat {
            elements.append(try element(&cursor))
        } while cursor.skip(",")
        try cursor.expect("]")
        return elements
    }

    /// An object of numbers (a classifier finding's scores).
    private static func numbers(_ cursor: inout JSONCursor) throws(BadLine) -> [String: Double] {
        try cursor.expect("{")
        var numbers: [String: Double] = [:]
        if cursor.skip("}") { return numbers }
        repeat {
            let name = try cursor.string()
            try cursor.expect(":")
            numbers[name] = try cursor.number()
        } while try endOfMember(&cursor)
        return numbers
    }

    /// One bit per key, in the order of `LogRecord.CodingKeys.allCases`.
    private static func bit(of key: LogRecord.CodingKeys) -> UInt64 {
        1 << UInt64(LogRecord.CodingKeys.allCases.firstIndex(of: key)!)
    }

    /// The keys `LogSummarizer` reads; the texts (context, match, ruleset, notes) are
    /// most of a line and most of the cost of making its strings.
    private static let countingFields: UInt64 = [
        LogRecord.CodingKeys.ts, .event, .requestID, .rule, .pack, .mode, .model, .label, .rules,
    ].reduce(0) { $0 | bit(of: $1) }

    /// The record's keys by length, so a key is found with a byte comparison or two.
    private static let keysByLength: [[(name: [UInt8], key: LogRecord.CodingKeys, bit: UInt64)]] = {
        let keys = LogRecord.CodingKeys.allCases.map { (name: Array($0.stringValue.utf8), key: $0, bit: bit(of: $0)) }
        var table = Array(
            repeating: [(name: [UInt8], key: LogRecord.CodingKeys, bit: UInt64)](),
            count: 1 + keys.map(\.name.count).max()!)
        for entry in keys { table[entry.name.count].append(entry) }
        return table
    }()

    private static func key(
        named name: (bytes: UnsafeRawBufferPointer, escaped: Bool)
    ) -> (key: LogRecord.CodingKeys, bit: UInt64)? {
        // Nobody escapes a plain ASCII key, but JSON allows it.
        if name.escaped {
            let key = (try? JSONCursor.unescape(name.bytes)).flatMap(LogRecord.CodingKeys.init(rawValue:))
            return key.map { ($0, bit(of: $0)) }
        }
        guard name.bytes.count < keysByLength.count else { return nil }
        for entry in keysByLength[name.bytes.count]
        where entry.name.withUnsafeBytes({ memcmp($0.baseAddress!, name.bytes.baseAddress!, $0.count) }) == 0 {
            return (entry.key, entry.bit)
        }
        return nil
    }
}

/// What one line of a log file holds.
enum LineContent {
    case blank
    case record(LogRecord)
    case skipped(SkippedLine)
}

extension LineReader.Line {
    func content(file: String, detail: LogReader.Detail) -> LineContent {
        guard !isCutShort else {
            return .skipped(
                SkippedLine(file: file, line: number, reason: "longer than \(LineReader.maximumLineBytes >> 20) MiB"))
        }
        guard bytes.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return .blank }
        do throws(BadLine) {
            return .record(try LogRecordDecoder.decode(bytes, detail: detail))
        } catch {
            return .skipped(SkippedLine(file: file, line: number, reason: error.reason))
        }
    }
}
