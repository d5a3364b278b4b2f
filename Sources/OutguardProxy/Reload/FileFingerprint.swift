#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the watched files look like now: for each path, the identity and size and change
/// time of what it resolves to. Comparing two fingerprints tells whether any file changed.
///
/// Polling `stat` rather than inotify: it follows symbolic links at every look, so the
/// link swap of a Kubernetes ConfigMap update (the file's path then resolves to a new
/// inode) is seen like an edit in place, it sees files that did not exist yet, and it
/// costs a few system calls a second for the handful of files a policy has.
struct FileFingerprint: Equatable, Sendable {
    private struct Entry: Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var seconds: Int
        var nanoseconds: Int
    }

    /// Per path, in order; nil where nothing is there.
    private let entries: [Entry?]

    init(paths: [String]) {
        entries = paths.map(Self.entry)
    }

    private static func entry(_ path: String) -> Entry? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        #if canImport(Darwin)
        let changed = info.st_mtimespec
        #else
        let changed = info.st_mtim
        #endif
        return Entry(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
            seconds: Int(changed.tv_sec), nanoseconds: Int(changed.tv_nsec))
    }
}
