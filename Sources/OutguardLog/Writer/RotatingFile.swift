import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One JSONL file, appended to and rotated by size: `x.jsonl` becomes `x.jsonl.1`, which
/// becomes `x.jsonl.2`, … up to `x.jsonl.<keep>`, and a new `x.jsonl` is started. Owned by
/// the writer thread alone.
///
/// Only regular files are fsynced and rotated: a pipe or a device (`/dev/stdout` for a
/// container's log collector) is just written.
struct RotatingFile {
    private let settings: LogFileSettings
    private var descriptor: Int32 = -1
    /// Bytes in the current file.
    private var size = 0
    private var isRegular = true

    init(_ settings: LogFileSettings) {
        self.settings = settings
    }

    /// Whether nothing has been written to the current file yet.
    var isEmpty: Bool { size == 0 }

    /// Whether `count` more bytes keep the file within `max_bytes`.
    func fits(_ count: Int) -> Bool {
        !isRegular || size + count <= settings.maxBytes
    }

    /// Opens the file for appending unless it is open, creating it and its folder.
    mutating func openIfNeeded() throws(FileError) {
        guard descriptor < 0 else { return }
        let path = settings.path
        let folder = (path as NSString).deletingLastPathComponent
        // A folder that cannot be made shows up as the open's error, which says more.
        if !folder.isEmpty {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let opened = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode_t(settings.permissions))
        guard opened >= 0 else { throw FileError("open", path) }
        var status = stat()
        guard fstat(opened, &status) == 0 else {
            let error = FileError("open", path)
            _ = close(opened)
            throw error
        }
        descriptor = opened
        isRegular = status.st_mode & S_IFMT == S_IFREG
        size = isRegular ? Int(status.st_size) : 0
        guard isRegular else { return }
        // The file may predate this mode (or the umask): the capture file must not stay
        // readable by others because an older one was.
        let allowed = mode_t(settings.permissions)
        if status.st_mode & 0o777 & ~allowed != 0 { _ = fchmod(opened, status.st_mode & 0o777 & allowed) }
        // A crash or a full disk can have cut the last line short: the next record starts
        // on a line of its own rather than being glued to the torn one.
        if size > 0, !endsWithNewline() { try append([UInt8(ascii: "\n")]) }
    }

    /// Writes all of `bytes` (one `write(2)` unless the kernel takes less), or throws after
    /// closing the file, so that the next batch opens it again.
    mutating func append(_ bytes: ArraySlice<UInt8>) throws(FileError) {
        let descriptor = descriptor
        let (written, failed) = bytes.withUnsafeBytes { buffer -> (Int, Bool) in
            var written = 0
            while written < buffer.count {
                let count = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    return (written, true)
                }
                written += count
            }
            return (written, false)
        }
        size += written
        guard !failed else {
            let error = FileError("write", settings.path, bytesWritten: written)
            closeFile()
            throw error
        }
    }

    /// Makes what was written durable; a file that cannot be fsynced is closed, to be
    /// opened again by the next batch.
    mutating func sync() throws(FileError) {
        guard descriptor >= 0, isRegular else { return }
        guard fsync(descriptor) == 0 else {
            let error = FileError("fsync", settings.path)
            closeFile()
            throw error
        }
    }

    /// Moves the current file to `.1` (and older ones up, the oldest beyond `keep` going
    /// away); the next `open` starts a new file. The file stays open when a rename fails,
    /// so no record is lost to a rotation.
    mutating func rotate() throws(FileError) {
        guard isRegular else { return }
        let path = settings.path
        if settings.keep > 0 {
            for index in stride(from: settings.keep, to: 1, by: -1) {
                // Files that do not exist yet are no failure.
                if rename("\(path).\(index - 1)", "\(path).\(index)") != 0, errno != ENOENT {
                    throw FileError("rotate", path)
                }
            }
            guard rename(path, "\(path).1") == 0 else { throw FileError("rotate", path) }
        } else {
            guard unlink(path) == 0 else { throw FileError("rotate", path) }
        }
        closeFile()
    }

    mutating func closeFile() {
        guard descriptor >= 0 else { return }
        _ = close(descriptor)
        descriptor = -1
        size = 0
    }

    /// Reads the last byte through a descriptor of its own: the log's is write-only.
    private func endsWithNewline() -> Bool {
        let reader = open(settings.path, O_RDONLY | O_CLOEXEC)
        guard reader >= 0 else { return true }
        defer { _ = close(reader) }
        var last: UInt8 = 0
        return pread(reader, &last, 1, off_t(size - 1)) != 1 || last == UInt8(ascii: "\n")
    }
}
