/// Where the proxy sends every request: the built-in mock, or one HTTP(S) server.
///
/// The proxy never forwards to a host the client names, only here.
public enum Upstream: Sendable, Equatable, CustomStringConvertible {
    /// `mock:echo`: answers every request in the right API shape with the last user
    /// message, so everything can be tried offline.
    case mockEcho
    /// `http://vllm:8000`, `https://api.openai.com`, `http://127.0.0.1:9000/prefix`.
    /// `basePath` is empty or starts with `/` and has no trailing slash; `port` is filled
    /// in (80 for http, 443 for https) when the URL has none.
    case http(scheme: String, host: String, port: Int, basePath: String)

    public var description: String {
        switch self {
        case .mockEcho:
            return Self.mockEchoName
        case .http(let scheme, let host, let port, let basePath):
            let bracketed = host.contains(":") ? "[\(host)]" : host
            let authority = port == Self.defaultPort(scheme) ? bracketed : HostPort.join(host: host, port: port)
            return "\(scheme)://\(authority)\(basePath)"
        }
    }

    static let mockEchoName = "mock:echo"
    /// What a fix shows: a self-hosted server, a hosted API and the offline mock.
    static let examples = ["http://vllm:8000", "https://api.openai.com", mockEchoName]

    static func defaultPort(_ scheme: String) -> Int { scheme == "https" ? 443 : 80 }

    static func parse(_ text: String) -> Result<Upstream, ValueProblem> {
        if text == mockEchoName { return .success(.mockEcho) }
        // `mock:8000` is more likely a host named mock than a mock upstream.
        if text.hasPrefix("mock:"), !text.dropFirst(5).allSatisfy(\.isASCIIDigit) {
            return .failure(ValueProblem(
                "unknown mock upstream `\(text)`; the built-in one is `mock:echo`", examples: [mockEchoName]))
        }
        guard let separator = text.range(of: "://") else {
            return .failure(ValueProblem(
                "`\(text)` is not a URL: it needs `http://` or `https://` in front",
                examples: guessedExamples(for: text)))
        }
        let scheme = text[..<separator.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else {
            return .failure(ValueProblem(
                "the upstream must be http:// or https://, not `\(scheme)://`", examples: examples))
        }
        return parseRest(text[separator.upperBound...], scheme: scheme)
    }

    /// Everything after `scheme://`.
    private static func parseRest(_ rest: Substring, scheme: String) -> Result<Upstream, ValueProblem> {
        if let mark = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            return .failure(ValueProblem(
                "the upstream URL cannot have a query or fragment (`\(rest[mark...])`)", examples: examples))
        }
        if rest.contains(where: \.isWhitespace) {
            return .failure(ValueProblem("the upstream URL has a space in it", examples: examples))
        }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<slash]
        if authority.contains("@") {
            // A key in the URL would end up in logs and error messages.
            return .failure(ValueProblem(
                "the upstream URL cannot hold a user or password; clients send their own credentials",
                examples: examples))
        }
        let parts: HostPort.Parts
        switch HostPort.split(authority) {
        case .success(let split): parts = split
        case .failure(let error): return .failure(ValueProblem(error.message, examples: examples))
        }
        let host = parts.host.lowercased()
        guard HostPort.isValidHost(host) else {
            let shown = host.isEmpty ? "the upstream URL has no host" : "`\(host)` is not a host name or IP address"
            return .failure(ValueProblem(shown, examples: examples))
        }
        var port = defaultPort(scheme)
        if let portText = parts.port {
            // Unlike a listen address, port 0 cannot be connected to.
            guard let written = HostPort.port(portText), written > 0 else {
                return .failure(ValueProblem("`\(portText)` is not a port (1 to 65535)", examples: examples))
            }
            port = written
        }
        return .success(.http(scheme: scheme, host: host, port: port, basePath: basePath(rest[slash...])))
    }

    /// `/prefix/` and `/prefix` are the same prefix; `/` is none.
    private static func basePath(_ path: Substring) -> String {
        var path = path
        while path.hasSuffix("/") { path = path.dropLast() }
        return String(path)
    }

    /// For `vllm:8000`, show `http://vllm:8000` first.
    private static func guessedExamples(for text: String) -> [String] {
        let guess = "http://\(text)"
        if case .success = parse(guess), !text.isEmpty { return [guess] + examples.filter { $0 != guess } }
        return examples
    }
}
