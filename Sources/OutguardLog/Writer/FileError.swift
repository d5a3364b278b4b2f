#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A system call on a log file that failed, said the way an operator can act on it.
struct FileError: Error, CustomStringConvertible {
    /// What was being done: `open`, `write`, `fsync`, `rotate`.
    var operation: String
    var path: String
    var code: Int32
    /// For a write: the bytes that made it into the file before the failure.
    var bytesWritten = 0

    /// Made right after the failing call, while `errno` still holds its reason.
    init(_ operation: String, _ path: String, bytesWritten: Int = 0) {
        self.operation = operation
        self.path = path
        self.code = errno
        self.bytesWritten = bytesWritten
    }

    var description: String {
        "cannot \(operation) \(path): \(String(cString: strerror(code)))"
    }
}
