import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// New request ids: `og-` and 16 hex digits, random and unguessable (feedback names a
/// response by its id). The random bytes are fetched a few kilobytes at a time: a
/// system call for each request cost more than the rest of making its id.
final class RandomIDs: Sendable {
    static let shared = RandomIDs()

    private let pool = NIOLockedValueBox<[UInt64]>([])
    private static let batch = 512

    func next() -> String {
        let value = pool.withLockedValue { values in
            if values.isEmpty { values = Self.fetch() }
            return values.removeLast()
        }
        return String(unsafeUninitializedCapacity: 19) { id in
            _ = id.initialize(from: "og-".utf8)
            for position in 0..<16 {
                // A hex digit by arithmetic: a table made per call was an allocation per request.
                let nibble = UInt8(truncatingIfNeeded: value >> (60 - 4 * UInt64(position))) & 0xF
                id[3 + position] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
            }
            return 19
        }
    }

    /// From /dev/urandom, the kernel's generator (the standard library's asks it for
    /// eight bytes per call; Glibc's module does not offer `getrandom`).
    private static func fetch() -> [UInt64] {
        var values = [UInt64](repeating: 0, count: batch)
        let file = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        let filled = values.withUnsafeMutableBytes { bytes in
            file >= 0 && read(file, bytes.baseAddress, bytes.count) == bytes.count
        }
        if file >= 0 { close(file) }
        if !filled {
            // No /dev/urandom (a sandbox without /dev): a system call per value, as before.
            var generator = SystemRandomNumberGenerator()
            values = values.map { _ in generator.next() }
        }
        return values
    }
}
