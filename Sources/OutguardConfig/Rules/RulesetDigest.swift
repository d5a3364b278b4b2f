import Crypto

/// The `ruleset` value of violation records: which rules were in force.
enum RulesetDigest {
    /// SHA-256 over the files' contents in path order, each preceded by its length so
    /// that moving bytes from one file to the next changes the digest. Paths themselves
    /// are not hashed: the same rules installed elsewhere give the same digest.
    static func digest(of contents: [String: [UInt8]]) -> String {
        var hash = SHA256()
        for (_, bytes) in contents.sorted(by: { $0.key < $1.key }) {
            let length = UInt64(bytes.count).bigEndian
            withUnsafeBytes(of: length) { hash.update(bufferPointer: $0) }
            hash.update(data: bytes)
        }
        let hex = hash.finalize().map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }
        return "sha256:" + hex.joined()
    }
}
