/// A JSON text parsed just enough to find the values an adapter reads and to replace
/// them in place: every value keeps the byte range it came from.
///
/// Written by hand because Foundation's JSON decoders return values without their
/// place in the text, and the proxy must leave every byte it does not filter exactly
/// as the upstream sent it (DESIGN.md, transparency). Parsing is one pass over the
/// bytes that checks the whole text and writes one flat list of values (a tape); keys
/// are compared and strings decoded only when an adapter asks for them. A stream event
/// has a dozen values of which an adapter reads two or three, so a tree of decoded
/// strings would cost an allocation for each value it never looks at.
///
/// The text may be a slice (a stream frame's payload, inside the read it came in);
/// every range is counted from the slice's start.
struct JSONDocument: Sendable {
    /// The text and its values: the one thing a document holds (a stream makes one per event).
    private let tape: JSONTape
    var bytes: ArraySlice<UInt8> { tape.bytes }
    var root: JSONNode { JSONNode(tape: tape, index: 0) }

    init(_ bytes: [UInt8]) throws(JSONSyntaxError) {
        try self.init(bytes[...])
    }

    init(_ bytes: ArraySlice<UInt8>) throws(JSONSyntaxError) {
        tape = try bytes.withUnsafeBufferPointer { (buffer) throws(JSONSyntaxError) in
            var parser = JSONParser(bytes: buffer)
            return try parser.parseDocument(keeping: bytes)
        }
    }

    /// The document's bytes with `edits` applied.
    func applying(_ edits: JSONEdits) -> [UInt8] { edits.apply(to: bytes) }
}

/// The parsed values of one document, in text order: a container's members follow it,
/// each object member as its key's entry and then its value's.
///
/// One allocation holds the entries and the text they index (a `ManagedBuffer`): a
/// stream's tapes are made and freed event after event, and an array of their own
/// cost each a second allocation. Entries are written only while the document is
/// parsed (`JSONParser`), hence `@unchecked Sendable`: afterwards the tape is read only.
struct JSONTape: @unchecked Sendable {
    struct Header {
        let bytes: ArraySlice<UInt8>
        let room: Int
        var count = 0
    }

    struct Entry: Sendable {
        var kind: JSONNode.Kind
        /// Whether a string (or key) has escapes, so its text must be decoded.
        var escaped = false
        /// The value's bytes (a string's include its quotes).
        var start: Int32
        var end: Int32
        /// The index of the first entry after this value and everything inside it.
        var next: Int32
    }

    private let storage: ManagedBuffer<Header, Entry>

    /// An empty tape for the text `bytes`, with room for `room` entries.
    init(for bytes: ArraySlice<UInt8>, room: Int) {
        storage = .create(minimumCapacity: room) { _ in Header(bytes: bytes, room: room) }
    }

    /// No text, no entries.
    static let empty = JSONTape(for: [], room: 0)

    var bytes: ArraySlice<UInt8> { storage.header.bytes }
    var count: Int { storage.header.count }
    var room: Int { storage.header.room }

    /// Calls `body` with the text's bytes, read where the header keeps them (a copy of
    /// the slice would retain its array).
    func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        storage.withUnsafeMutablePointerToHeader { $0.pointee.bytes.withUnsafeBufferPointer(body) }
    }

    subscript(index: Int) -> Entry {
        get {
            precondition(index >= 0 && index < count, "an entry of the tape")
            return storage.withUnsafeMutablePointerToElements { $0[index] }
        }
        nonmutating set {
            precondition(index >= 0 && index < count, "an entry of the tape")
            storage.withUnsafeMutablePointerToElements { $0[index] = newValue }
        }
    }

    /// Adds `entry` after the last; there must be room (`count < room`).
    @inline(__always)
    func append(_ entry: Entry) {
        storage.withUnsafeMutablePointers { header, entries in
            precondition(header.pointee.count < header.pointee.room, "room on the tape")
            (entries + header.pointee.count).initialize(to: entry)
            header.pointee.count += 1
        }
    }

    /// A copy with room for `room` entries (at least `count`).
    func resized(to room: Int) -> JSONTape {
        let copy = JSONTape(for: bytes, room: room)
        storage.withUnsafeMutablePointerToElements { entries in
            copy.storage.withUnsafeMutablePointers { header, copied in
                copied.initialize(from: entries, count: count)
                header.pointee.count = count
            }
        }
        return copy
    }
}

/// One value of a `JSONDocument` and where it lies.
struct JSONNode: Sendable {
    enum Kind: Sendable {
        case object, array, string, number, bool, null
        /// An object member's name (never a node of its own).
        case key
    }

    private let tape: JSONTape
    private let index: Int

    init(tape: JSONTape, index: Int) {
        self.tape = tape
        self.index = index
    }

    private var entry: JSONTape.Entry { tape[index] }
    var kind: Kind { entry.kind }
    var range: Range<Int> { Int(entry.start)..<Int(entry.end) }

    /// The value's JSON text, as the document has it.
    var json: [UInt8] { tape.withBytes { Array($0[range]) } }

    /// The member named `key` (the first, if the object repeats it).
    // Inlined: adapters look up a few members of every stream event, and a call per
    // lookup retained and released the tape once more each time (2% of a stream).
    @inline(__always)
    subscript(key: String) -> JSONNode? {
        guard entry.kind == .object else { return nil }
        var position = index + 1
        let end = Int(entry.next)
        while position < end {
            let name = tape[position]
            if matches(name, key) { return JSONNode(tape: tape, index: position + 1) }
            position = Int(tape[position + 1].next)
        }
        return nil
    }

    subscript(index: Int) -> JSONNode? {
        guard entry.kind == .array, index >= 0 else { return nil }
        var position = self.index + 1
        let end = Int(entry.next)
        var count = 0
        while position < end {
            if count == index { return JSONNode(tape: tape, index: position) }
            count += 1
            position = Int(tape[position].next)
        }
        return nil
    }

    var string: String? {
        entry.kind == .string ? text(of: entry) : nil
    }

    /// Calls `body` with a string's text as UTF-8 bytes, escapes resolved (read in place
    /// when it has none); nil for any other value. The bytes are what the upstream sent,
    /// not checked to be UTF-8.
    func withUTF8<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result? {
        let entry = self.entry
        return entry.kind == .string ? withText(of: entry, body) : nil
    }

    /// Whether the value is a string, without decoding it (an answer's text is most of its
    /// bytes, and the filter decodes it once, when it reads it).
    var isString: Bool { entry.kind == .string }

    /// An array's items (none for any other value), read from the tape as they are
    /// iterated: an array of nodes made for each stream event cost an allocation for the
    /// one or two items an adapter reads.
    var items: JSONItems {
        entry.kind == .array ? JSONItems(tape: tape, start: index + 1, end: Int(entry.next)) : .empty
    }

    /// The value of a number that is an integer fitting in `Int`.
    var int: Int? {
        guard entry.kind == .number else { return nil }
        return tape.withBytes { JSONParser.integer(in: $0, at: range) }
    }

    var bool: Bool? {
        entry.kind == .bool ? tape.withBytes { $0[Int(entry.start)] } == UInt8(ascii: "t") : nil
    }

    var isNull: Bool { entry.kind == .null }

    /// Whether a key's entry names `key`: its bytes when it has no escapes (API keys
    /// never do), its decoded text otherwise. The lengths first: most keys an adapter
    /// skips differ in length from the one it looks for.
    private func matches(_ name: JSONTape.Entry, _ key: String) -> Bool {
        guard !name.escaped else { return text(of: name) == key }
        let start = Int(name.start) + 1
        let length = Int(name.end) - 1 - start
        guard key.utf8.count == length else { return false }
        return tape.withBytes { bytes in
            let name = UnsafeBufferPointer(rebasing: bytes[start..<(start + length)])
            // Byte by byte through the key's storage: a generic `elementsEqual` walks the
            // string's UTF-8 view through its index type, slower than parsing the key was.
            return key.utf8.withContiguousStorageIfAvailable { key in
                var index = 0
                while index < length && name[index] == key[index] { index += 1 }
                return index == length
            } ?? name.elementsEqual(key.utf8)
        }
    }

    private func text(of entry: JSONTape.Entry) -> String {
        withText(of: entry) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the text of the string (or key) `entry`: its bytes between the
    /// quotes when it has no escapes, decoded otherwise.
    private func withText<Result>(of entry: JSONTape.Entry, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        let range = Int(entry.start)..<Int(entry.end)
        return tape.withBytes { bytes in
            guard entry.escaped else {
                return body(UnsafeBufferPointer(rebasing: bytes[(range.lowerBound + 1)..<(range.upperBound - 1)]))
            }
            return JSONParser.decodedBytes(in: bytes, at: range).withUnsafeBufferPointer(body)
        }
    }
}

/// The items of an array, in order (`JSONNode.items`). Its indices are the items' places
/// on the tape, opaque so that an offset (`items[0]`) cannot pass for one: `enumerated()`
/// gives offsets.
struct JSONItems: Collection {
    struct Index: Comparable {
        fileprivate let position: Int
        static func < (a: Index, b: Index) -> Bool { a.position < b.position }
    }

    /// No items: what a missing array reads as (`node["choices"]?.items ?? .empty`).
    static let empty = JSONItems(tape: .empty, start: 0, end: 0)

    private let tape: JSONTape
    let startIndex: Index
    let endIndex: Index

    fileprivate init(tape: JSONTape, start: Int, end: Int) {
        self.tape = tape
        startIndex = Index(position: start)
        endIndex = Index(position: end)
    }

    subscript(index: Index) -> JSONNode {
        JSONNode(tape: tape, index: index.position)
    }

    func index(after index: Index) -> Index {
        Index(position: Int(tape[index.position].next))
    }
}

/// Why a body is not JSON, with the byte offset where reading stopped.
struct JSONSyntaxError: Error, Sendable, CustomStringConvertible {
    var offset: Int
    var reason: String
    var description: String { "invalid JSON at byte \(offset): \(reason)" }
}
