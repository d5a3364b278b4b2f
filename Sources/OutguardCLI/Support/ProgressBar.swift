import Foundation
import OutguardLog

/// A progress bar on standard error for reads that take a while, drawn only when
/// standard error is a terminal (never into a file or a pipe) and only once a read has
/// taken half a second (a short read shows nothing).
final class ProgressBar {
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let clock = ContinuousClock()
    private let started: ContinuousClock.Instant
    private var lastDrawn: ContinuousClock.Instant?

    init() {
        started = clock.now
    }

    func update(_ progress: LogReader.Progress) {
        guard isTerminal, progress.totalBytes > 0 else { return }
        let now = clock.now
        guard now - started > .milliseconds(500), lastDrawn.map({ now - $0 > .milliseconds(100) }) ?? true else {
            return
        }
        lastDrawn = now
        let fraction = Double(progress.bytesRead) / Double(progress.totalBytes)
        let width = 30
        let done = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: done) + String(repeating: "·", count: width - done)
        let megabytes = { (bytes: Int64) in String(bytes >> 20) }
        FileHandle.standardError.write(
            Data(
                "\r[\(bar)] \(Int(fraction * 100))%  \(megabytes(progress.bytesRead)) of \(megabytes(progress.totalBytes)) MB"
                    .utf8))
    }

    /// Clears the bar's line, if one was drawn.
    func finish() {
        guard lastDrawn != nil else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
