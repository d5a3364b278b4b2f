public import CoreMetrics
import NIOCore
import OutguardEngine
public import OutguardLog

/// What a running proxy counts and times for `/metrics`, through swift-metrics' API.
///
/// It is built from an explicit `MetricsFactory` (Prometheus's, in `outguard serve`) and
/// never bootstraps the process-wide `MetricsSystem`, so that several proxies in one
/// process (tests) each count into their own registry. One instance lives as long as the
/// daemon, across reloads of the runtime.
///
/// The data path pays little: an exchange gathers its numbers in plain stored fields
/// (`ExchangeMeasures`) and hands them over once, when its response ends; each metric
/// handle is made once per label set and then found by a small key (`HandleCache`).
/// The log writer's metrics are brought up to date only when they are read.
public final class ProxyMetrics: Sendable {
    /// The metric names, as Prometheus shows them.
    public enum Name {
        /// Responses by `route`, `provider`, `status`, `action`.
        public static let requests = "outguard_requests_total"
        /// Findings (rule matches) by `rule`, `action`, `mode`.
        public static let findings = "outguard_findings_total"
        /// Rules that could not decide (regex match limit, a stream frame that is not JSON), by `rule`.
        public static let engineErrors = "outguard_engine_errors_total"
        /// Time spent filtering one response, by `stream`.
        public static let engineTime = "outguard_engine_seconds"
        /// Time from handing a request to the upstream to its response head.
        public static let upstreamTime = "outguard_upstream_seconds"
        /// The most bytes of a stream held back at once.
        public static let streamHoldback = "outguard_stream_holdback_bytes"
        /// Response body bytes, by `direction` (`in` from the upstream, `out` to the client).
        public static let responseBytes = "outguard_response_bytes_total"
        /// Reloads of the config and rules, by `result` (`success`, `failure`).
        public static let reloads = "outguard_reloads_total"
        /// Records waiting for the disk, by `file` (`violations`, `captures`).
        public static let logQueueDepth = "outguard_log_queue_depth"
        public static let logRecordsWritten = "outguard_log_records_written_total"
        /// Records refused because the queue was full.
        public static let logRecordsDropped = "outguard_log_records_dropped_total"
        /// Records the disk refused.
        public static let logRecordsLost = "outguard_log_records_lost_total"
    }

    /// What each metric means, by name: the `# HELP` line of its export.
    public static let help: [String: String] = [
        Name.requests:
            "Responses that reached the client, by route (the API path, Gemini's model left out, or other), provider (the API shape, as in the violation log), status and action (the Outguard-Action sent: pass, shadow, redact, block); counted when the response ends.",
        Name.findings: "Rule matches in responses, shadow and log ones included, by rule, action and mode.",
        Name.engineErrors:
            "Rules that could not decide on a response (regex match limit, a stream frame that is not JSON), by rule.",
        Name.engineTime:
            "Time spent filtering one response (reading its JSON or frames, the rules, rewriting), summed over its chunks when streamed.",
        Name.upstreamTime:
            "Time from handing a request to the upstream (connecting included, when no kept-alive connection was free) to the upstream's response head.",
        Name.streamHoldback:
            "The most bytes of upstream stream events held back at once in one streamed response, waiting for their text to be decided.",
        Name.responseBytes:
            "Response body bytes: in, from the upstream; out, to the client (after rewriting; Outguard's own answers included).",
        Name.reloads: "Reloads of the config and rules, by result.",
        Name.logQueueDepth: "Records waiting in the log writer's queue for the disk, by file (violations, captures).",
        Name.logRecordsWritten: "Records written to disk, by file.",
        Name.logRecordsDropped: "Records dropped because the log writer's queue was full (log.queue_size), by file.",
        Name.logRecordsLost: "Records the disk refused (full, read-only), by file.",
    ]

    /// Histogram buckets for the timers, by name: the engine takes microseconds on most
    /// answers, an upstream milliseconds to a minute.
    public static let durationBuckets: [String: [Duration]] = [
        Name.engineTime: [
            .microseconds(10), .microseconds(25), .microseconds(50), .microseconds(100), .microseconds(250),
            .microseconds(500), .milliseconds(1), .microseconds(2500), .milliseconds(10), .milliseconds(25),
            .milliseconds(100),
        ],
        Name.upstreamTime: [
            .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5),
            .seconds(10), .seconds(30), .seconds(60),
        ],
    ]

    /// Histogram buckets for recorded values, by name: a stream event is a few hundred bytes.
    public static let valueBuckets: [String: [Double]] = [
        Name.streamHoldback: [0, 256, 512, 1024, 2048, 4096, 8192, 16384, 65536, 262_144]
    ]

    private let requests: HandleCache<RequestLabels, Counter>
    private let findings: HandleCache<FindingLabels, Counter>
    private let engineErrors: HandleCache<String, Counter>
    private let wholeEngineTime: Timer
    private let streamEngineTime: Timer
    private let upstreamTime: Timer
    private let streamHoldback: Recorder
    private let bytesIn: Counter
    private let bytesOut: Counter
    private let reloadSuccesses: Counter
    private let reloadFailures: Counter
    private let writers: HandleCache<String, WriterMetrics>

    public init(factory: any MetricsFactory) {
        requests = HandleCache { Counter(label: Name.requests, dimensions: $0.dimensions, factory: factory) }
        findings = HandleCache { Counter(label: Name.findings, dimensions: $0.dimensions, factory: factory) }
        engineErrors = HandleCache { Counter(label: Name.engineErrors, dimensions: [("rule", $0)], factory: factory) }
        wholeEngineTime = Timer(label: Name.engineTime, dimensions: [("stream", "false")], factory: factory)
        streamEngineTime = Timer(label: Name.engineTime, dimensions: [("stream", "true")], factory: factory)
        upstreamTime = Timer(label: Name.upstreamTime, factory: factory)
        streamHoldback = Recorder(label: Name.streamHoldback, factory: factory)
        bytesIn = Counter(label: Name.responseBytes, dimensions: [("direction", "in")], factory: factory)
        bytesOut = Counter(label: Name.responseBytes, dimensions: [("direction", "out")], factory: factory)
        reloadSuccesses = Counter(label: Name.reloads, dimensions: [("result", "success")], factory: factory)
        reloadFailures = Counter(label: Name.reloads, dimensions: [("result", "failure")], factory: factory)
        writers = HandleCache { WriterMetrics(file: $0, factory: factory) }
    }

    /// Metrics that go nowhere, for a proxy nobody scrapes.
    public convenience init() {
        self.init(factory: NOOPMetricsHandler.instance)
    }

    /// Counts a reload of the config and rules.
    public func reloaded(success: Bool) {
        (success ? reloadSuccesses : reloadFailures).increment()
    }

    /// Brings the log's metrics up to its writers' counters (nil: no such file). Call it
    /// before each export of the metrics.
    public func observeLog(violations: LogWriterStats?, captures: LogWriterStats?) {
        if let violations { writers["violations"].observe(violations) }
        if let captures { writers["captures"].observe(captures) }
    }

    /// Counts one response that reached the client (its head, at least), once it ended.
    func responded(route: RouteLabel, provider: Provider?, measures: ExchangeMeasures) {
        guard let status = measures.status else { return }
        requests[RequestLabels(route: route, provider: provider, status: status.code, action: measures.action)]
            .increment()
        if let time = measures.upstreamTime { upstreamTime.recordNanoseconds(time.nanoseconds) }
        if let time = measures.engineTime {
            (measures.streamed ? streamEngineTime : wholeEngineTime).recordNanoseconds(time.nanoseconds)
        }
        if let held = measures.heldBackBytes { streamHoldback.record(held) }
        if measures.bytesIn > 0 { bytesIn.increment(by: measures.bytesIn) }
        if measures.bytesOut > 0 { bytesOut.increment(by: measures.bytesOut) }
    }

    /// Counts the findings of one filtered response, shadow and log ones included.
    func found(in texts: [FilteredText]) {
        for text in texts {
            for finding in text.findings {
                switch finding.kind {
                case .match:
                    findings[FindingLabels(rule: finding.ruleID, action: finding.action, mode: finding.mode)]
                        .increment()
                case .engineError:
                    engineErrors[finding.ruleID].increment()
                }
            }
        }
    }
}
