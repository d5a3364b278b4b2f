/// A set of header names, looked up ignoring ASCII case.
///
/// Kept by length: most names a request or a response carries have a length that no
/// name of the set has, and are passed over after one array read. Comparing each
/// header with each of a dozen names was 2% of the daemon's time.
struct HeaderNames: Sendable {
    /// The names' lowercased UTF-8 bytes, at the index of their length.
    private var byLength: [[[UInt8]]] = []

    init(_ names: [String]) {
        for name in names { insert(name) }
    }

    /// These names and `names`.
    func adding(_ names: [String]) -> HeaderNames {
        var union = self
        for name in names { union.insert(name) }
        return union
    }

    private mutating func insert(_ name: String) {
        let bytes = Array(name.lowercased().utf8)
        if byLength.count <= bytes.count { byLength += Array(repeating: [], count: bytes.count + 1 - byLength.count) }
        byLength[bytes.count].append(bytes)
    }

    func contains(_ name: String) -> Bool {
        let length = name.utf8.count
        guard length < byLength.count, !byLength[length].isEmpty else { return false }
        let candidates = byLength[length]
        return name.utf8.withContiguousStorageIfAvailable { Self.any(of: candidates, is: $0) }
            ?? Self.any(of: candidates, is: Array(name.utf8))
    }

    private static func any(of lowercased: [[UInt8]], is name: some Collection<UInt8>) -> Bool {
        lowercased.contains { candidate in zip(name, candidate).allSatisfy { $0.asciiLowercased == $1 } }
    }
}
