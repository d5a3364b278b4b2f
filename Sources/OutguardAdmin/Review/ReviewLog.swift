import Foundation
import OutguardLog

/// The configured violation log as the review page sees it: read at request time
/// (`log.path` and the files it was rotated to), so the page always shows what is on
/// disk, including what other tools wrote.
struct ReviewLog: Sendable {
    /// What one read found.
    struct Snapshot: Sendable {
        /// Per rule, for the filter; rows without hits are left out when a severity is
        /// chosen, since feedback carries no severity to filter by.
        var rows: [LogSummary.Row] = []
        /// Distinct requests with a matching violation.
        var requests = 0
        /// The newest matching violations first, at most `listLimit`.
        var violations: [LogRecord] = []
        /// How many violations match, listed or not.
        var matchingCount = 0
        var labels = FindingLabels()
        /// Every rule and pack in the log, whatever the filter: the filter form's choices.
        var rules: [String] = []
        var packs: [String] = []
        var skipped = SkippedLines()
    }

    /// The most violations one page lists: enough to review a day of a noisy rule, few
    /// enough that the page stays quick to load and to scroll.
    static let listLimit = 200

    /// `log.path`.
    let path: String

    /// Reads every record once. A log that does not exist yet reads as empty: the writer
    /// creates it with its first record.
    func read(_ filter: ReviewFilter, now: Date) throws -> Snapshot {
        let files: LogFiles
        do {
            files = try LogFiles.rotated(from: path)
        } catch {
            if case .noSuchFile = error { return Snapshot() }
            throw error
        }
        let query = filter.query(now: now)
        var summarizer = LogSummarizer(grouping: .rule, query: query)
        var snapshot = Snapshot()
        var recent: [LogRecord] = []
        var rules = Set<String>()
        var packs = Set<String>()
        snapshot.skipped = try LogReader(files: files.paths).read { record in
            guard record.event == .violation else {
                snapshot.labels.add(record)
                summarizer.add(record)
                return
            }
            if let rule = record.rule { rules.insert(rule) }
            if let pack = record.pack { packs.insert(pack) }
            guard filter.matchesSeverity(record) else { return }
            summarizer.add(record)
            guard query.matches(record) else { return }
            snapshot.matchingCount += 1
            recent.append(record)
            // Keeps memory bounded on a long log: drop the older half once it doubles.
            if recent.count == 2 * Self.listLimit { recent.removeFirst(Self.listLimit) }
        }
        let summary = summarizer.summary()
        snapshot.rows = filter.severity == nil ? summary.rows : summary.rows.filter { $0.counts.hits > 0 }
        snapshot.requests = summary.total.requests
        // Files are read oldest first, but writers of several threads may interleave by
        // a few milliseconds: the time decides.
        snapshot.violations = recent.suffix(Self.listLimit).sorted { $0.ts > $1.ts }
        snapshot.rules = rules.sorted()
        snapshot.packs = packs.sorted()
        return snapshot
    }
}
