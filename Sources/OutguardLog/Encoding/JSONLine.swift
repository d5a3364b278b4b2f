public import Foundation
import OutguardBytes

/// Builds JSON objects as UTF-8 bytes, line after line in one buffer.
///
/// The log encodes every record with this instead of `JSONEncoder`: `JSONEncoder` builds
/// a tree of boxed values, a dictionary per object and a `Data` per call, several
/// microseconds and dozens of allocations a record, on the event loop that served the
/// response. Appending bytes to one buffer allocates nothing once the buffer has grown:
/// about 2 µs a record against JSONEncoder's 13 µs (a 520-byte violation, release build,
/// one core), and a response's records share one buffer (`LogLines`).
///
/// The output is what readers of the log rely on: keys in the order they are written,
/// absent values left out (never `null`), strings escaped as RFC 8259 requires with
/// non-ASCII text kept as raw UTF-8, `ts` as `2026-11-29T07:00:00.123Z`.
public struct JSONLine: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []
    /// Whether the next member or element needs a comma before it.
    private var needsComma = false

    public init() {}

    /// With room for `capacity` bytes, so that a block of lines grows once or not at all.
    public init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    /// Writes `{`, the members `body` writes, and `}`: a line, or an element of an array
    /// (whose comma the array writes).
    public mutating func object(_ body: (inout JSONLine) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        body(&self)
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Ends the line. JSONL needs no newline inside a value: strings escape theirs.
    public mutating func newline() {
        bytes.append(UInt8(ascii: "\n"))
        needsComma = false
    }

    // MARK: Members; an absent value writes nothing.

    public mutating func member(_ key: JSONName, _ value: String?) {
        guard let value else { return }
        name(key)
        string(value)
    }

    /// A string given as its UTF-8 bytes, which must be valid UTF-8.
    public mutating func member(_ key: JSONName, utf8 value: [UInt8]?) {
        guard let value else { return }
        name(key)
        value.withUnsafeBufferPointer { string(utf8: $0) }
    }

    public mutating func member<Value: RawRepresentable<String>>(_ key: JSONName, _ value: Value?) {
        member(key, value?.rawValue)
    }

    public mutating func member(_ key: JSONName, _ value: Int?) {
        guard let value else { return }
        name(key)
        integer(value)
    }

    public mutating func member(_ key: JSONName, _ value: Bool?) {
        guard let value else { return }
        name(key)
        bytes.append(contentsOf: value ? Self.trueBytes : Self.falseBytes)
    }

    /// JSON has no NaN or infinity; such a value is left out like an absent one.
    public mutating func member(_ key: JSONName, _ value: Double?) {
        guard let value, value.isFinite else { return }
        name(key)
        number(value)
    }

    private mutating func number(_ value: Double) {
        // `description` is the shortest text that reads back as the same double; `120.0`
        // is written `120`, as JSONEncoder does.
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        append(text)
    }

    public mutating func member(_ key: JSONName, _ value: Date) {
        name(key)
        bytes.append(UInt8(ascii: "\""))
        ISO8601Milliseconds.append(value, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// A range as `[start, end]`, without the array `[Int]` would allocate.
    public mutating func member(_ key: JSONName, _ range: Range<Int>) {
        name(key)
        bytes.append(UInt8(ascii: "["))
        integer(range.lowerBound)
        bytes.append(UInt8(ascii: ","))
        integer(range.upperBound)
        bytes.append(UInt8(ascii: "]"))
    }

    public mutating func member(_ key: JSONName, _ values: [Int]?) {
        member(key, values) { line, value in line.integer(value) }
    }

    public mutating func member(_ key: JSONName, _ values: [String]?) {
        member(key, values) { line, value in line.string(value) }
    }

    /// An object of numbers, its keys sorted so equal maps write equal lines.
    public mutating func member(_ key: JSONName, _ values: [String: Double]?) {
        guard let values else { return }
        name(key)
        object { line in
            for (name, value) in values.sorted(by: { $0.key < $1.key }) where value.isFinite {
                line.name(escaping: name)
                line.number(value)
            }
        }
    }

    /// An array whose elements `element` writes (objects, with `object`).
    public mutating func member<Element>(
        _ key: JSONName, _ values: [Element]?, element: (inout JSONLine, Element) -> Void
    ) {
        guard let values else { return }
        name(key)
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        for value in values {
            separate()
            element(&self, value)
            needsComma = true
        }
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Members encoded once, for lines that repeat them: the records of one response share
    /// its request's fields, and copying those bytes costs a fraction of encoding them.
    public static func members(_ body: (inout JSONLine) -> Void) -> JSONMembers {
        // Room for a few fields at once: growing from empty reallocated several times.
        var line = JSONLine(capacity: 256)
        body(&line)
        return JSONMembers(bytes: line.bytes)
    }

    /// Writes members `members(_:)` encoded.
    public mutating func members(_ members: JSONMembers) {
        guard !members.bytes.isEmpty else { return }
        separate()
        bytes.append(contentsOf: members.bytes)
        needsComma = true
    }

    // MARK: Values

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    /// `"key":`, copied as it was made.
    private mutating func name(_ key: JSONName) {
        separate()
        bytes.append(contentsOf: key.quoted)
        needsComma = true
    }

    /// `"name":` for a name that is data (a classifier's category), escaped like any string.
    private mutating func name(escaping text: String) {
        separate()
        string(text)
        bytes.append(UInt8(ascii: ":"))
        needsComma = true
    }

    private mutating func integer(_ value: Int) {
        DecimalDigits.append(value, to: &bytes)
    }

    /// A string's bytes as they are.
    private mutating func append(_ text: String) {
        // Through its storage: appending a `String.UTF8View` went element by element.
        if text.utf8.withContiguousStorageIfAvailable({ bytes.append(contentsOf: $0) }) == nil {
            bytes.append(contentsOf: Array(text.utf8))
        }
    }

    private mutating func string(_ value: String) {
        // A native string's storage is read in place: a copy of the string to call
        // `withUTF8` cost a retain and a release a value.
        if value.utf8.withContiguousStorageIfAvailable({ string(utf8: $0) }) == nil {
            Array(value.utf8).withUnsafeBufferPointer { string(utf8: $0) }
        }
    }

    /// `utf8` (valid UTF-8) quoted and escaped.
    private mutating func string(utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        JSONEscaping.append(utf8, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    private static let trueBytes: [UInt8] = Array("true".utf8)
    private static let falseBytes: [UInt8] = Array("false".utf8)
}

/// A member's name as lines write it, `"name":`, made once from a coding key: turning
/// each key into bytes on every line was a third of encoding a violation record. Its bytes
/// are never freed (names live in statics, for the whole process), so copying them takes
/// no reference count on storage that every event loop shares.
public struct JSONName: @unchecked Sendable {
    // Immutable after `init`; `@unchecked` because buffer pointers are not `Sendable`.
    fileprivate let quoted: UnsafeBufferPointer<UInt8>

    /// The name of `key`, which must be plain ASCII with nothing to escape (a record's own
    /// coding keys).
    public init(_ key: some CodingKey) {
        let bytes = Array("\"\(key.stringValue)\":".utf8)
        let storage = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
        _ = storage.initialize(from: bytes)
        quoted = UnsafeBufferPointer(storage)
    }
}

/// Members of a JSON object as bytes, written once by `JSONLine.members(_:)` and copied into
/// each line that repeats them.
public struct JSONMembers: Sendable {
    fileprivate let bytes: [UInt8]
}
