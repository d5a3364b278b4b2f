import Foundation

/// Where a hook listens, read once from its `url`.
struct HookEndpoint: Sendable, Hashable {
    var host: String
    var port: Int
    var useTLS: Bool
    /// The request target: path and query.
    var target: String
    /// The Host header.
    var hostHeader: String

    init?(url text: String) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", var host = components.host, !host.isEmpty
        else { return nil }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        useTLS = scheme == "https"
        let defaultPort = useTLS ? 443 : 80
        port = components.port ?? defaultPort
        self.host = host
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        target = components.percentEncodedQuery.map { "\(path)?\($0)" } ?? path
        let shownHost = host.contains(":") ? "[\(host)]" : host
        hostHeader = port == defaultPort ? shownHost : "\(shownHost):\(port)"
    }
}
