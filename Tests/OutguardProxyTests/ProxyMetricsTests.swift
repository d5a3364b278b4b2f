import CoreMetrics
import NIOCore
import NIOHTTP1
import OutguardEngine
import OutguardLog
import Prometheus
import Testing

@testable import OutguardProxy

/// `ProxyMetrics` into a real Prometheus registry, as `outguard serve` sets it up: names,
/// labels and values as a scraper reads them.
@Suite struct ProxyMetricsTests {
    typealias Name = ProxyMetrics.Name

    /// Metrics counting into a registry of their own, with the daemon's buckets.
    static func prometheus() -> (ProxyMetrics, PrometheusCollectorRegistry) {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = ProxyMetrics.durationBuckets
        factory.valueHistogramBuckets = ProxyMetrics.valueBuckets
        return (ProxyMetrics(factory: factory), registry)
    }

    static func finding(
        _ rule: String, action: RuleAction = .redact, mode: RuleMode = .enforce, kind: Finding.Kind = .match
    ) -> Finding {
        Finding(
            kind: kind, ruleID: rule, pack: "p", action: action, mode: mode, severity: .medium, byteSpan: 0..<1,
            characterSpan: 0..<1, matchedText: "x")
    }

    @Test func aResponseIsCountedOnceByRouteProviderStatusAndAction() {
        let (metrics, registry) = Self.prometheus()
        var redacted = ExchangeMeasures()
        redacted.status = .ok
        redacted.action = .redact
        redacted.upstreamTime = .milliseconds(3)
        redacted.engineTime = .microseconds(40)
        redacted.bytesIn = 100
        redacted.bytesOut = 120
        for _ in 0..<2 { metrics.responded(route: .chatCompletions, provider: .openAIChat, measures: redacted) }
        var clean = ExchangeMeasures()
        clean.status = .ok
        metrics.responded(route: .chatCompletions, provider: .openAIChat, measures: clean)
        var refused = ExchangeMeasures()
        refused.status = .notFound
        metrics.responded(route: .other, provider: nil, measures: refused)
        // A response whose head never went out is not counted.
        metrics.responded(route: .other, provider: nil, measures: ExchangeMeasures())

        let export = Exposition(registry)
        #expect(export.types[Name.requests] == "counter")
        #expect(
            export[#"outguard_requests_total{route="/v1/chat/completions",provider="openai.chat",status="200",action="redact"}"#]
                == 2)
        #expect(
            export[#"outguard_requests_total{route="/v1/chat/completions",provider="openai.chat",status="200",action="pass"}"#]
                == 1)
        #expect(export[#"outguard_requests_total{route="other",provider="none",status="404",action="pass"}"#] == 1)
        #expect(export.series(of: Name.requests).count == 3)
        #expect(export["outguard_upstream_seconds_count"] == 2)
        #expect(export[#"outguard_engine_seconds_count{stream="false"}"#] == 2)
        #expect(export[#"outguard_engine_seconds_count{stream="true"}"#] == 0)
        #expect(export[#"outguard_response_bytes_total{direction="in"}"#] == 200)
        #expect(export[#"outguard_response_bytes_total{direction="out"}"#] == 240)
        #expect(export["outguard_stream_holdback_bytes_count"] == 0)
    }

    @Test func histogramsUseTheDaemonsBucketsAndSeconds() throws {
        let (metrics, registry) = Self.prometheus()
        var measures = ExchangeMeasures()
        measures.status = .ok
        measures.engineTime = .microseconds(40)
        measures.streamed = true
        measures.heldBackBytes = 300
        measures.upstreamTime = .milliseconds(20)
        metrics.responded(route: .messages, provider: .anthropicMessages, measures: measures)

        let export = Exposition(registry)
        #expect(export.types[Name.engineTime] == "histogram")
        let engineBuckets = export.series(of: "outguard_engine_seconds_bucket").filter { $0.contains(#"stream="true""#) }
        #expect(engineBuckets.count == ProxyMetrics.durationBuckets[Name.engineTime]!.count + 1)
        #expect(export[#"outguard_engine_seconds_bucket{stream="true",le="+Inf"}"#] == 1)
        let engineSum = try #require(export[#"outguard_engine_seconds_sum{stream="true"}"#])
        #expect(abs(engineSum - 0.000_04) < 1e-9)
        let upstreamSum = try #require(export["outguard_upstream_seconds_sum"])
        #expect(abs(upstreamSum - 0.02) < 1e-9)
        #expect(export["outguard_stream_holdback_bytes_count"] == 1)
        #expect(export["outguard_stream_holdback_bytes_sum"] == 300)
        #expect(export[#"outguard_stream_holdback_bytes_bucket{le="256.0"}"#] == 0)
        #expect(export[#"outguard_stream_holdback_bytes_bucket{le="512.0"}"#] == 1)
    }

    @Test func findingsAreCountedByRuleActionAndModeAndEngineErrorsApart() {
        let (metrics, registry) = Self.prometheus()
        metrics.found(in: [
            FilteredText(
                segment: SegmentKey(index: 0), original: "",
                findings: [Self.finding("pii.email"), Self.finding("pii.email"), Self.finding("brand.x", mode: .shadow)]),
            FilteredText(segment: SegmentKey(index: 1), original: "", findings: []),
            FilteredText(
                segment: SegmentKey(index: 2), original: "",
                findings: [
                    Self.finding("pii.email"), Self.finding("outguard.malformed", action: .block, kind: .engineError),
                ]),
        ])
        let export = Exposition(registry)
        #expect(export[#"outguard_findings_total{rule="pii.email",action="redact",mode="enforce"}"#] == 3)
        #expect(export[#"outguard_findings_total{rule="brand.x",action="redact",mode="shadow"}"#] == 1)
        #expect(export.series(of: Name.findings).count == 2)
        #expect(export[#"outguard_engine_errors_total{rule="outguard.malformed"}"#] == 1)
    }

    @Test func theLogMetricsFollowTheWritersCounters() {
        let (metrics, registry) = Self.prometheus()
        var stats = LogWriterStats()
        stats.written = 5
        stats.dropped = 1
        stats.queueDepth = 3
        metrics.observeLog(violations: stats, captures: nil)
        var export = Exposition(registry)
        #expect(export[#"outguard_log_records_written_total{file="violations"}"#] == 5)
        #expect(export[#"outguard_log_records_dropped_total{file="violations"}"#] == 1)
        #expect(export[#"outguard_log_records_lost_total{file="violations"}"#] == 0)
        #expect(export[#"outguard_log_queue_depth{file="violations"}"#] == 3)
        #expect(export.types[Name.logQueueDepth] == "gauge")
        #expect(!export.text.contains(#"file="captures""#))

        stats.written = 8
        stats.lost = 2
        stats.queueDepth = 0
        metrics.observeLog(violations: stats, captures: LogWriterStats())
        export = Exposition(registry)
        #expect(export[#"outguard_log_records_written_total{file="violations"}"#] == 8)
        #expect(export[#"outguard_log_records_lost_total{file="violations"}"#] == 2)
        #expect(export[#"outguard_log_queue_depth{file="violations"}"#] == 0)
        #expect(export[#"outguard_log_records_written_total{file="captures"}"#] == 0)

        // A new writer counts from zero again: a counter never goes back.
        var fresh = LogWriterStats()
        fresh.written = 2
        metrics.observeLog(violations: fresh, captures: nil)
        #expect(Exposition(registry)[#"outguard_log_records_written_total{file="violations"}"#] == 10)
    }

    @Test func reloadsAreCountedByResult() {
        let (metrics, registry) = Self.prometheus()
        #expect(Exposition(registry)[#"outguard_reloads_total{result="failure"}"#] == 0)
        metrics.reloaded(success: true)
        metrics.reloaded(success: true)
        metrics.reloaded(success: false)
        let export = Exposition(registry)
        #expect(export[#"outguard_reloads_total{result="success"}"#] == 2)
        #expect(export[#"outguard_reloads_total{result="failure"}"#] == 1)
    }

    @Test func everyNameFollowsPrometheusConventionsAndHasHelp() {
        let (metrics, registry) = Self.prometheus()
        metrics.observeLog(violations: LogWriterStats(), captures: nil)
        let export = Exposition(registry)
        for (name, type) in export.types {
            #expect(name.hasPrefix("outguard_"))
            #expect(ProxyMetrics.help[name] != nil, "\(name) has no help")
            switch type {
            case "counter": #expect(name.hasSuffix("_total"), "\(name)")
            case "histogram": #expect(name.hasSuffix("_seconds") || name.hasSuffix("_bytes"), "\(name)")
            default: #expect(!name.hasSuffix("_total"), "\(name)")
            }
        }
    }

    // MARK: Route labels

    @Test(arguments: [
        ("/v1/chat/completions", RouteLabel.chatCompletions),
        ("/chat/completions", .chatCompletionsUnversioned),
        ("/v1/completions", .completions),
        ("/completions", .completionsUnversioned),
        ("/v1/responses", .responses),
        ("/responses", .responsesUnversioned),
        ("/v1/messages", .messages),
        ("/api/chat", .ollamaChat),
        ("/api/generate", .ollamaGenerate),
        ("/v1beta/models/gemini-2.5-flash:generateContent", .geminiGenerate),
        ("/v1beta/models/gemini-2.5-pro:streamGenerateContent", .geminiStream),
        ("/v1/models/gemini-2.5-flash:generateContent", .geminiV1Generate),
        ("/v1/models/gemini-2.5-flash:streamGenerateContent", .geminiV1Stream),
        ("/v1/models", .other),
        ("/v1/embeddings", .other),
    ])
    func theRouteLabelIsThePathWithoutTheModel(path: String, label: RouteLabel) {
        let provider = Provider(path: path[...])
        #expect(RouteLabel(path: path[...], provider: provider, isFeedback: false) == label)
        // Every route the proxy filters has a label of its own.
        #expect((provider != nil) == (label != .other))
    }

    @Test(arguments: RouteLabel.allCases.filter { $0 != .feedback && $0 != .other })
    func everyRouteLabelIsThePathItNames(label: RouteLabel) {
        #expect(RouteLabel(path: label.path[...], provider: Provider(path: label.path[...]), isFeedback: false) == label)
    }

    @Test func feedbackHasItsOwnRoute() {
        #expect(RouteLabel(path: FeedbackRequest.path[...], provider: nil, isFeedback: true).path == FeedbackRequest.path)
    }

    // MARK: What a stream measures

    @Test func aStreamRecordsWhatItHeldBackAndTheTimeItTook() {
        let provider = Provider.openAIChat
        let text = "Write to taro.yamada@example.co.jp or hanako@example.jp today, then rest."
        let frames = ResponseShapes.streamFrames(
            provider: provider, model: "m", pieces: [EchoPieces.split(text)], id: "x", includeUsage: true, created: 1)
        let filter = StreamBodyFilter(
            adapter: provider.adapter, framing: provider.streamFraming, policy: StreamBodyFilterTests.policy,
            options: FilterOptions(), failClosed: true)
        for frame in frames { _ = frame.withUnsafeBytes { filter.process($0) } }
        _ = filter.finish()
        // The frames of a partly read address wait; never more than the whole stream.
        #expect(filter.mostHeldBytes > 0)
        #expect(filter.mostHeldBytes < frames.reduce(0) { $0 + $1.count })
        #expect(filter.filterTime > .zero)
        #expect(filter.outcome == .redact)
    }

    @Test func aStreamReadInOneGoHoldsNothingBackAtItsEnd() {
        let provider = Provider.openAIChat
        let frames = ResponseShapes.streamFrames(
            provider: provider, model: "m", pieces: [EchoPieces.split("Nothing to see here.")], id: "x",
            includeUsage: true, created: 1)
        let filter = StreamBodyFilter(
            adapter: provider.adapter, framing: provider.streamFraming, policy: StreamBodyFilterTests.policy,
            options: FilterOptions(), failClosed: true)
        // The `finish_reason` chunk ends the text: everything before it is decided at once.
        _ = Array(frames.joined()).withUnsafeBytes { filter.process($0) }
        #expect(filter.mostHeldBytes == 0)
    }
}
