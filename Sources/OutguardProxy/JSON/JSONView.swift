/// A value of a `JSONDocument` read straight from its tape's memory, without holding the
/// tape: valid only inside the `JSONNode.withView` call that made it, like the pointer
/// `withUnsafeBufferPointer` hands out. Keep a `JSONNode` to keep a value.
///
/// A stream's reader looks up a handful of members in every event. As `JSONNode`s, each
/// lookup made a value that retained the tape and released it again: a tenth of a
/// stream's time went to that reference counting. Every lookup of a document is written
/// here once; `JSONNode` wraps the view's answers in values that own the tape.
struct JSONView {
    private let entries: UnsafePointer<JSONTape.Entry>
    private let count: Int
    private let bytes: UnsafeBufferPointer<UInt8>
    /// The value's place on the tape (`JSONNode(tape:index:)`).
    let index: Int

    init(entries: UnsafePointer<JSONTape.Entry>, count: Int, bytes: UnsafeBufferPointer<UInt8>, index: Int) {
        precondition(index >= 0 && index < count, "a value of the tape")
        self.entries = entries
        self.count = count
        self.bytes = bytes
        self.index = index
    }

    private var entry: JSONTape.Entry { entries[index] }
    var kind: JSONNode.Kind { entry.kind }
    var range: Range<Int> { Int(entry.start)..<Int(entry.end) }

    /// The same document's value at `position`.
    private func view(at position: Int) -> JSONView {
        JSONView(entries: entries, count: count, bytes: bytes, index: position)
    }

    /// The member named `key` (the first, if the object repeats it).
    // Inlined, with `matches`: readers look up a few members of every stream event
    // (`bench proxy`, a stream with no rules: 49.8 µs, 50.8 with calls).
    @inline(__always)
    subscript(key: String) -> JSONView? {
        guard entry.kind == .object else { return nil }
        var position = index + 1
        let end = Int(entry.next)
        while position < end {
            if matches(entries[position], key) { return view(at: position + 1) }
            position = Int(entries[position + 1].next)
        }
        return nil
    }

    /// The array item at offset `offset`.
    subscript(offset: Int) -> JSONView? {
        guard offset >= 0 else { return nil }
        var items = self.items
        for _ in 0..<offset where items.next() == nil { return nil }
        return items.next()
    }

    /// An array's items, in order (none for any other value).
    var items: Items {
        Items(of: self, from: index + 1, to: entry.kind == .array ? Int(entry.next) : index + 1)
    }

    struct Items: Sequence, IteratorProtocol {
        private let array: JSONView
        private var position: Int
        private let end: Int

        fileprivate init(of array: JSONView, from position: Int, to end: Int) {
            self.array = array
            self.position = position
            self.end = end
        }

        mutating func next() -> JSONView? {
            guard position < end else { return nil }
            defer { position = Int(array.entries[position].next) }
            return array.view(at: position)
        }
    }

    var isString: Bool { entry.kind == .string }

    var string: String? {
        withUTF8 { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with a string's text as UTF-8 bytes, escapes resolved (read in place
    /// when it has none); nil for any other value. The bytes are what the upstream sent,
    /// not checked to be UTF-8.
    func withUTF8<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result? {
        let entry = self.entry
        return entry.kind == .string ? withText(of: entry, body) : nil
    }

    /// The value of a number that is an integer fitting in `Int`.
    var int: Int? {
        entry.kind == .number ? JSONParser.integer(in: bytes, at: range) : nil
    }

    var bool: Bool? {
        entry.kind == .bool ? bytes[Int(entry.start)] == UInt8(ascii: "t") : nil
    }

    /// Whether a key's entry names `key`: its bytes when it has no escapes (API keys
    /// never do), its decoded text otherwise. The lengths first: most keys an adapter
    /// skips differ in length from the one it looks for.
    @inline(__always)
    private func matches(_ name: JSONTape.Entry, _ key: String) -> Bool {
        guard !name.escaped else { return withText(of: name) { String(decoding: $0, as: UTF8.self) } == key }
        let start = Int(name.start) + 1
        let length = Int(name.end) - 1 - start
        guard key.utf8.count == length else { return false }
        let name = UnsafeBufferPointer(rebasing: bytes[start..<(start + length)])
        // Byte by byte through the key's storage: a generic `elementsEqual` walks the
        // string's UTF-8 view through its index type, slower than parsing the key was.
        return key.utf8.withContiguousStorageIfAvailable { key in
            var index = 0
            while index < length && name[index] == key[index] { index += 1 }
            return index == length
        } ?? name.elementsEqual(key.utf8)
    }

    /// Calls `body` with the text of the string (or key) `entry`: its bytes between the
    /// quotes when it has no escapes, decoded otherwise.
    private func withText<Result>(of entry: JSONTape.Entry, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        let range = Int(entry.start)..<Int(entry.end)
        guard entry.escaped else {
            return body(UnsafeBufferPointer(rebasing: bytes[(range.lowerBound + 1)..<(range.upperBound - 1)]))
        }
        return JSONParser.decodedBytes(in: bytes, at: range).withUnsafeBufferPointer(body)
    }
}
