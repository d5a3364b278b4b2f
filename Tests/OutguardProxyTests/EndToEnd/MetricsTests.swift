import NIOHTTP1
import Prometheus
import Testing

@testable import OutguardProxy

/// The metrics, end to end: the real proxy in front of a real upstream counts what it
/// served into a Prometheus registry, and the export names it.
@Suite(.timeLimit(.minutes(1))) struct MetricsTests {
    @Test func trafficShowsInTheExportByRouteProviderStatusAndAction() async throws {
        let (metrics, registry) = ProxyMetricsTests.prometheus()
        let provider = Provider.openAIChat
        let answer = NoLeakTests.answering(provider, Answers.leaky)
        let modelList = Array(#"{"object":"list","data":[]}"#.utf8)
        let responses = try await E2E.run(
            metrics: metrics,
            upstream: { request in request.uri == "/v1/models" ? .json(modelList) : answer(request) }
        ) { e2e in
            let whole = try await e2e.send(provider.request(stream: false))
            let streamed = try await e2e.send(provider.request(stream: true))
            let passed = try await e2e.send(TestRequest(method: .GET, uri: "/v1/models"))
            let refused = try await e2e.send(provider.request(stream: false, headers: [("Outguard-Policy", "nope")]))
            #expect(whole.action == "redact" && streamed.action == "redact")
            #expect(passed.status == .ok && refused.status == .badRequest)
            return [whole, streamed, passed, refused]
        }

        let export = Exposition(registry)
        let chat = #"route="/v1/chat/completions",provider="openai.chat""#
        #expect(export[#"outguard_requests_total{\#(chat),status="200",action="redact"}"#] == 2)
        #expect(export[#"outguard_requests_total{\#(chat),status="400",action="pass"}"#] == 1)
        #expect(export[#"outguard_requests_total{route="other",provider="none",status="200",action="pass"}"#] == 1)
        for rule in ["pii.email", "secrets.openai-key", "profanity-en.words"] {
            #expect(export[#"outguard_findings_total{rule="\#(rule)",action="redact",mode="enforce"}"#] == 2, "\(rule)")
        }
        #expect(export.series(of: ProxyMetrics.Name.findings).count == 3)
        #expect(export[#"outguard_engine_seconds_count{stream="false"}"#] == 1)
        #expect(export[#"outguard_engine_seconds_count{stream="true"}"#] == 1)
        #expect((export[#"outguard_engine_seconds_sum{stream="true"}"#] ?? 0) > 0)
        // The refused request never went upstream.
        #expect(export["outguard_upstream_seconds_count"] == 3)
        #expect(export["outguard_stream_holdback_bytes_count"] == 1)

        let upstreamBytes =
            provider.body(Answers.leaky).count + provider.frames(Answers.leaky).joined().count + modelList.count
        #expect(export[#"outguard_response_bytes_total{direction="in"}"#] == Double(upstreamBytes))
        #expect(
            export[#"outguard_response_bytes_total{direction="out"}"#]
                == Double(responses.reduce(0) { $0 + $1.body.count }))
    }

    @Test func aBlockedStreamIsCountedAsBlocked() async throws {
        let (metrics, registry) = ProxyMetricsTests.prometheus()
        let provider = Provider.anthropicMessages
        try await E2E.run(metrics: metrics, upstream: NoLeakTests.answering(provider, Answers.privateKey)) { e2e in
            let response = try await e2e.send(provider.request(stream: true))
            #expect(response.action == "block")
        }
        let export = Exposition(registry)
        #expect(
            export[#"outguard_requests_total{route="/v1/messages",provider="anthropic.messages",status="200",action="block"}"#]
                == 1)
        #expect(export[#"outguard_findings_total{rule="secrets.private-key",action="block",mode="enforce"}"#] == 1)
    }
}
