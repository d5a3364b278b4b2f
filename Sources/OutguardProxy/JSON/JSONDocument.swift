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

    /// Calls `body` with a view of the value at `index`, read in place.
    func withView<Result>(at index: Int, _ body: (JSONView) -> Result) -> Result {
        storage.withUnsafeMutablePointers { header, entries in
            header.pointee.bytes.withUnsafeBufferPointer { bytes in
                body(JSONView(entries: entries, count: header.pointee.count, bytes: bytes, index: index))
            }
        }
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

    /// Calls `body` with a view of this value that reads the tape without holding it:
    /// for code that looks up many values and keeps none (a stream reader, per event).
    func withView<Result>(_ body: (JSONView) -> Result) -> Result {
        tape.withView(at: index, body)
    }

    /// The member named `key` (the first, if the object repeats it).
    subscript(key: String) -> JSONNode? {
        withView { $0[key]?.index }.map { JSONNode(tape: tape, index: $0) }
    }

    subscript(index: Int) -> JSONNode? {
        withView { $0[index]?.index }.map { JSONNode(tape: tape, index: $0) }
    }

    var string: String? { withView(\.string) }

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
    var int: Int? { withView(\.int) }

    var bool: Bool? { withView(\.bool) }

    var isNull: Bool { entry.kind == .null }
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
