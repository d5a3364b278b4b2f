import OutguardAdmin
import OutguardHooks
import OutguardLog
import OutguardProxy
import Prometheus

/// The daemon's metrics: one Prometheus registry that the proxy counts into through
/// swift-metrics, and that the admin listener's `/metrics` exports.
struct DaemonMetrics {
    let registry = PrometheusCollectorRegistry()
    /// Lives as long as the daemon: a reload keeps counting into it.
    let proxy: ProxyMetrics
    /// What the classifier hooks count into (`outguard_hook_*`).
    let factory: PrometheusMetricsFactory

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = ProxyMetrics.durationBuckets
        factory.valueHistogramBuckets = ProxyMetrics.valueBuckets
        self.factory = factory
        proxy = ProxyMetrics(factory: factory)
    }

    /// What `/metrics` exports: the log's queue and counters are read from its writers
    /// at each scrape.
    func endpoint(records: LogWriter<LogRecord>?, captures: LogWriter<CapturedResponse>?) -> MetricsEndpoint {
        let proxy = proxy
        return MetricsEndpoint(registry: registry, help: ProxyMetrics.help.merging(HookMetrics.help) { proxy, _ in proxy }) {
            proxy.observeLog(violations: records?.stats, captures: captures?.stats)
        }
    }
}
