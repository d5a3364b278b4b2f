import Foundation

/// Standard output through a buffer, for commands that print a line per record: a
/// system call per line would cost more than reading the record did.
struct StandardOutput {
    private var buffer: [UInt8] = []
    private let limit = 1 << 16

    init() {
        buffer.reserveCapacity(limit)
    }

    mutating func write(line: String) throws {
        buffer.append(contentsOf: line.utf8)
        try endLine()
    }

    mutating func write(line: UnsafeRawBufferPointer) throws {
        buffer.append(contentsOf: line)
        try endLine()
    }

    /// Writes out what is buffered (at the end, and after each record when following).
    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try FileHandle.standardOutput.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private mutating func endLine() throws {
        buffer.append(0x0A)
        if buffer.count >= limit { try flush() }
    }
}
