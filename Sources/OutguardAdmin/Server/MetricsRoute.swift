import Hummingbird

/// `GET /metrics`: the daemon's metrics in Prometheus's text format, for a scraper that
/// sends the admin token (`authorization.credentials` in a Prometheus scrape config).
struct MetricsRoute: Sendable {
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    let endpoint: MetricsEndpoint

    func add(to router: Router<some RequestContext>) {
        router.get("/metrics") { _, _ in respond() }
    }

    func respond() -> Response {
        var headers: HTTPFields = [:]
        headers[.contentType] = Self.contentType
        headers[.cacheControl] = "no-store"
        let body = ByteBuffer(string: endpoint.export())
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
    }
}
