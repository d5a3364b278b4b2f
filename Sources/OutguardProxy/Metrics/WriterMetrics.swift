import CoreMetrics
import NIOConcurrencyHelpers
import OutguardLog

/// The metrics of one log writer (the violation log or the capture file). The writer
/// keeps its own counters (`LogWriterStats`); these follow them when `/metrics` is read,
/// so the data path never pays for them.
final class WriterMetrics: Sendable {
    private let queueDepth: Gauge
    private let written: Counter
    private let dropped: Counter
    private let lost: Counter
    /// The writer's counters at the last look.
    private let seen = NIOLockedValueBox(LogWriterStats())

    init(file: String, factory: any MetricsFactory) {
        let dimensions = [("file", file)]
        queueDepth = Gauge(label: ProxyMetrics.Name.logQueueDepth, dimensions: dimensions, factory: factory)
        written = Counter(label: ProxyMetrics.Name.logRecordsWritten, dimensions: dimensions, factory: factory)
        dropped = Counter(label: ProxyMetrics.Name.logRecordsDropped, dimensions: dimensions, factory: factory)
        lost = Counter(label: ProxyMetrics.Name.logRecordsLost, dimensions: dimensions, factory: factory)
    }

    /// Brings the metrics up to `stats`: the counters grow by what changed since the last look.
    func observe(_ stats: LogWriterStats) {
        seen.withLockedValue { seen in
            Self.advance(written, from: seen.written, to: stats.written)
            Self.advance(dropped, from: seen.dropped, to: stats.dropped)
            Self.advance(lost, from: seen.lost, to: stats.lost)
            queueDepth.record(stats.queueDepth)
            seen = stats
        }
    }

    /// A count below the last one comes from a new writer, which started from zero.
    private static func advance(_ counter: Counter, from old: Int, to new: Int) {
        let added = new >= old ? new - old : new
        if added > 0 { counter.increment(by: added) }
    }
}
