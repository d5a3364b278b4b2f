import Hummingbird
import HummingbirdTesting
import Prometheus
import Synchronization
import Testing

@testable import OutguardAdmin

/// `GET /metrics`: Prometheus's text format, behind the admin token like every route but
/// `/healthz`, with the gauges brought up to date before each export.
@Suite struct MetricsRouteTests {
    /// A registry with one counter and one gauge; the gauge is set by `refresh`, which
    /// counts its calls.
    final class Fixture: Sendable {
        let registry = PrometheusCollectorRegistry()
        let refreshes = Mutex(0)

        var endpoint: MetricsEndpoint {
            let gauge = registry.makeGauge(
                descriptor: MetricNameDescriptor(
                    namespace: "outguard", metricName: "log_queue", unitName: "depth", helpText: ""),
                labels: [("file", "violations")])
            return MetricsEndpoint(
                registry: registry,
                help: [
                    "outguard_requests_total": "Responses that reached the client.",
                    "outguard_log_queue_depth": "Records waiting\nfor the disk, a backslash \\ too.",
                ]
            ) { [self] in
                let count = refreshes.withLock { count in
                    count += 1
                    return count
                }
                gauge.set(Double(count * 10))
            }
        }

        init() {
            let descriptor = MetricNameDescriptor(
                namespace: "outguard", metricName: "requests", unitName: "total", helpText: "")
            registry.makeCounter(descriptor: descriptor, labels: [("route", "other")]).increment(by: Int64(3))
        }
    }

    @Test func theMetricsAreExportedInPrometheusTextFormat() async throws {
        let fixture = Fixture()
        let admin = try AdminFixture(records: [], metrics: fixture.endpoint)
        try await admin.test { client in
            try await client.execute(uri: "/metrics", method: .get, headers: bearer) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
                let lines = response.text.split(separator: "\n").map(String.init)
                #expect(lines.contains(#"outguard_requests_total{route="other"} 3"#))
                #expect(lines.contains(#"outguard_log_queue_depth{file="violations"} 10.0"#))
                // Each family's help comes right before its type.
                let type = try #require(lines.firstIndex(of: "# TYPE outguard_requests_total counter"))
                #expect(lines[type - 1] == "# HELP outguard_requests_total Responses that reached the client.")
                #expect(lines.contains(#"# HELP outguard_log_queue_depth Records waiting\nfor the disk, a backslash \\ too."#))
                #expect(response.text.hasSuffix("\n"))
            }
            try await client.execute(uri: "/metrics", method: .get, headers: bearer) { response in
                #expect(response.text.contains(#"outguard_log_queue_depth{file="violations"} 20.0"#))
            }
        }
        #expect(fixture.refreshes.withLock { $0 } == 2)
    }

    @Test func theMetricsNeedTheTokenWhenOneIsSet() async throws {
        let fixture = Fixture()
        let admin = try AdminFixture(records: [], metrics: fixture.endpoint)
        try await admin.test { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(!response.text.contains("outguard_requests_total"))
            }
            try await client.execute(
                uri: "/metrics", method: .get, headers: [.authorization: "Bearer not-the-token"]
            ) { response in
                #expect(response.status == .unauthorized)
            }
        }
        // A refused scrape does not even look at the gauges.
        #expect(fixture.refreshes.withLock { $0 } == 0)
    }

    @Test func withoutATokenTheMetricsAreOpenAsTheOtherRoutes() async throws {
        let admin = try AdminFixture(records: [], token: nil, metrics: Fixture().endpoint)
        try await admin.test { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("outguard_requests_total"))
            }
        }
    }

    @Test func withoutMetricsThereIsNoRoute() async throws {
        let admin = try AdminFixture(records: [])
        try await admin.test { client in
            try await client.execute(uri: "/metrics", method: .get, headers: bearer) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
