#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads one file in large chunks and hands out its lines as views into its own buffer,
/// so that a line costs no allocation and no copy until someone decodes it.
///
/// It reads what the file holds now and keeps an unfinished last line for the next
/// read, which is what following a growing file needs; a whole-file read asks for that
/// last line at the end with `finish`.
final class LineReader {
    /// One line, without its `\n` (or `\r\n`); its bytes are valid only during the call.
    struct Line {
        let bytes: UnsafeRawBufferPointer
        /// 1-based, counted from the start of the file.
        let number: Int
        /// The line was longer than `maximumLineBytes`: `bytes` is its start only.
        let isCutShort: Bool
    }

    /// Past this, a "line" is not a record (a binary file, a file without newlines):
    /// the reader stops holding it in memory and skips to the next newline.
    static let maximumLineBytes = 16 << 20

    let path: String
    private let descriptor: Int32
    private var buffer: UnsafeMutableRawBufferPointer
    /// `buffer[lineStart..<filled]` is read but not yet handed out: the start of a line.
    private var lineStart = 0
    private var filled = 0
    private var lineNumber = 0
    /// Inside a line that was too long, until its newline.
    private var skippingLongLine = false
    /// How far into the file the reader has read.
    private(set) var offset: Int64 = 0

    init(path: String, chunkBytes: Int = 1 << 20) throws(LogFileError) {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw LogFileError.cannotOpen(path: path, reason: LogFileError.systemReason()) }
        buffer = .allocate(byteCount: chunkBytes, alignment: 1)
    }

    deinit {
        close(descriptor)
        buffer.deallocate()
    }

    /// The file this reader has open, to tell whether its path now names another file.
    var identity: FileIdentity? { FileIdentity(descriptor: descriptor) }

    /// Reads the next chunk and calls `body` for each line it completes. Returns the
    /// number of bytes read: 0 at the file's current end.
    func readChunk(_ body: (Line) throws -> Void) throws -> Int {
        makeRoom()
        let count = try readSome()
        guard count > 0 else { return 0 }
        var searchFrom = filled
        filled += count
        offset += Int64(count)
        guard let base = buffer.baseAddress else { return count }
        while let newline = memchr(base + searchFrom, 0x0A, filled - searchFrom) {
            let end = base.distance(to: newline)
            let wasSkipping = skippingLongLine
            skippingLongLine = false
            try emit(upTo: end, cutShort: wasSkipping, body)
            lineStart = end + 1
            searchFrom = lineStart
        }
        return count
    }

    /// Hands out the last line when the file does not end with a newline: a writer's
    /// unfinished line, or a file cut short.
    func finish(_ body: (Line) throws -> Void) throws {
        guard filled > lineStart || skippingLongLine else { return }
        try emit(upTo: filled, cutShort: skippingLongLine, body)
        lineStart = filled
        skippingLongLine = false
    }

    /// Starts over from the file's beginning (the file was truncated).
    func rewind() {
        lseek(descriptor, 0, SEEK_SET)
        offset = 0
        lineStart = 0
        filled = 0
        lineNumber = 0
        skippingLongLine = false
    }

    private func emit(upTo end: Int, cutShort: Bool, _ body: (Line) throws -> Void) throws {
        lineNumber += 1
        var lineEnd = end
        if lineEnd > lineStart, buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
        try body(
            Line(
                bytes: UnsafeRawBufferPointer(rebasing: buffer[lineStart..<lineEnd]), number: lineNumber,
                isCutShort: cutShort))
    }

    /// Moves the unfinished line to the front, and grows the buffer when that line
    /// fills it (up to the maximum, after which the line's start is all that is kept).
    private func makeRoom() {
        if lineStart > 0 {
            let pending = filled - lineStart
            if pending > 0, let base = buffer.baseAddress { memmove(base, base + lineStart, pending) }
            filled = pending
            lineStart = 0
        }
        guard filled == buffer.count else { return }
        if buffer.count >= Self.maximumLineBytes {
            skippingLongLine = true
            filled = min(filled, 4096)
            return
        }
        let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: buffer.count * 2, alignment: 1)
        larger.copyMemory(from: UnsafeRawBufferPointer(buffer))
        buffer.deallocate()
        buffer = larger
    }

    private func readSome() throws(LogFileError) -> Int {
        while true {
            let count = read(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
            if count >= 0 { return count }
            guard errno == EINTR else { throw LogFileError.cannotRead(path: path, reason: LogFileError.systemReason()) }
        }
    }
}

/// Which file a path or descriptor names (device and inode): a rotated log keeps its
/// identity under its new name, and the path gets a new one.
struct FileIdentity {
    let device: UInt64
    let inode: UInt64
    let size: Int64

    init?(descriptor: Int32) {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        self.init(info)
    }

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.init(info)
    }

    private init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
    }

    func isSameFile(as other: FileIdentity) -> Bool { device == other.device && inode == other.inode }
}
