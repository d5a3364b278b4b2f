import NIOHTTP1

/// Which headers cross the proxy, and the ones it adds.
enum HeaderRules {
    static let requestID = "Outguard-Request-Id"
    static let action = "Outguard-Action"
    static let policy = "Outguard-Policy"
    /// The response headers this proxy sets itself: never passed on from the upstream.
    static let ownResponseHeaders = [requestID, action]

    /// Connection-level headers (RFC 9110 §7.6.1): they describe one hop, never pass.
    static let hopByHop = HeaderNames([
        "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te",
        "trailer", "transfer-encoding", "upgrade",
    ])

    /// Decoder limits for `limits.max_header_bytes`, for request and response heads alike
    /// (NIO's own default, 80 KB, would let larger heads through).
    static func decoderLimits(maxHeaderBytes: Int) -> NIOHTTPDecoderLimitConfiguration {
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderFieldSize = maxHeaderBytes
        limits.maxHeaderListSize = maxHeaderBytes
        return limits
    }

    /// `headers` without `dropped` ones (hop-by-hop ones, and whatever else the caller
    /// drops) and those a `Connection` header names. Runs twice per request, so names are
    /// looked up without lowercased copies, and `Connection` is split into names only
    /// when it names more than the usual `keep-alive` or `close`.
    static func forwardable(_ headers: HTTPHeaders, dropping dropped: HeaderNames = hopByHop) -> HTTPHeaders {
        var named: HeaderNames?
        for (name, value) in headers where connection.contains(name) && !connectionTokens.contains(value) {
            let tokens = value.split(separator: ",").map { token in
                var token = token
                while token.first == " " || token.first == "\t" { token.removeFirst() }
                while token.last == " " || token.last == "\t" { token.removeLast() }
                return String(token)
            }
            named = (named ?? HeaderNames([])).adding(tokens)
        }
        // Collected as pairs: `HTTPHeaders.add` checks that each name is ASCII, which the
        // names of a parsed request already are.
        var kept: [(String, String)] = []
        kept.reserveCapacity(headers.count + 2)
        for (name, value) in headers where !dropped.contains(name) && named?.contains(name) != true {
            kept.append((name, value))
        }
        return HTTPHeaders(kept)
    }

    private static let connection = HeaderNames(["connection"])
    /// The `Connection` values that name no other header.
    private static let connectionTokens = HeaderNames(["keep-alive", "close"])

    /// Request headers Outguard answers or replaces itself, with the hop-by-hop ones.
    private static let notForwarded = hopByHop.adding(["host", "content-length", "expect", policy])

    /// The request sent upstream: the configured host, never the client's; identity
    /// encoding on filtered routes so the text can be read.
    static func upstreamRequest(
        _ head: HTTPRequestHead, target: UpstreamTarget, bodyLength: Int, requestID: String, filtered: Bool
    ) -> HTTPRequestHead {
        // `Expect` was answered by Outguard, which has the whole body already.
        var headers = forwardable(head.headers, dropping: Self.notForwarded)
        headers.add(name: "Host", value: target.hostHeader)
        if filtered {
            headers.remove(name: "accept-encoding")
            headers.add(name: "Accept-Encoding", value: "identity")
        }
        if bodyLength > 0 || head.method == .POST || head.method == .PUT || head.method == .PATCH {
            headers.add(name: "Content-Length", value: String(bodyLength))
        }
        if !headers.contains(name: "x-request-id") { headers.add(name: "X-Request-Id", value: requestID) }
        return HTTPRequestHead(
            version: .http1_1, method: head.method, uri: target.basePath + originForm(of: head.uri), headers: headers)
    }

    /// The path and query of a request target; an absolute-form URI
    /// (`http://elsewhere/v1/...`) keeps only its path, so it cannot pick the host.
    static func originForm(of uri: String) -> String {
        guard !uri.hasPrefix("/") else { return uri }
        guard let scheme = uri.range(of: "://") else { return "/" }
        let afterHost = uri[scheme.upperBound...].firstIndex { $0 == "/" || $0 == "?" }
        guard let afterHost else { return "/" }
        let rest = uri[afterHost...]
        return rest.hasPrefix("/") ? String(rest) : "/" + rest
    }

    /// The path of a request target without its query.
    static func path(of uri: String) -> Substring {
        let origin = uri.hasPrefix("/") ? Substring(uri) : Substring(originForm(of: uri))
        // By bytes: `?` is ASCII, and walking characters finds grapheme breaks first.
        return origin[..<(origin.utf8.firstIndex(of: UInt8(ascii: "?")) ?? origin.endIndex)]
    }

    /// A new request id: kept from the client's `X-Request-Id` when it sent one.
    static func requestID(from headers: HTTPHeaders) -> String {
        if let given = headers.first(name: "x-request-id"), !given.isEmpty, given.utf8.count <= 200,
            given.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        {
            return given
        }
        return RandomIDs.shared.next()
    }
}
