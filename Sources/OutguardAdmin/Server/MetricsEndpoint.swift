import Foundation
public import Prometheus

/// What `GET /metrics` exports: the daemon's Prometheus registry, a way to bring the
/// metrics that are read rather than counted (the log's queue) up to date first, and the
/// `# HELP` text of each metric.
public struct MetricsEndpoint: Sendable {
    public let registry: PrometheusCollectorRegistry
    /// Help text by metric name. swift-prometheus makes the metrics that come through
    /// swift-metrics without help, so it is added to the export here.
    public let help: [String: String]
    /// Called before each export.
    public let refresh: @Sendable () -> Void

    public init(
        registry: PrometheusCollectorRegistry, help: [String: String] = [:],
        refresh: @escaping @Sendable () -> Void = {}
    ) {
        self.registry = registry
        self.help = help
        self.refresh = refresh
    }

    /// The metrics in Prometheus's text format (0.0.4), each family with its `# HELP` line.
    public func export() -> String {
        refresh()
        let text = registry.emitToString()
        guard !help.isEmpty else { return text }
        var described = ""
        described.reserveCapacity(text.utf8.count + help.count * 80)
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            // "# TYPE name kind": a family starts; label values never hold a raw newline,
            // so a line that starts so is always a TYPE line.
            if line.hasPrefix("# TYPE "), let name = line.dropFirst(7).split(separator: " ").first,
                let text = help[String(name)]
            {
                described += "# HELP \(name) \(Self.escaped(text))\n"
            }
            described += line
            described += "\n"
        }
        described.removeLast()
        return described
    }

    /// Help text escapes backslashes and newlines.
    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }
}
