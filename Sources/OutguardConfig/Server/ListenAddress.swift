/// An address and port to accept connections on: `127.0.0.1:8080`, `[::1]:8080`, or
/// `:8080` for every interface.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// A host name or IP address; an IPv6 address without its brackets, as sockets take it.
    public var host: String
    /// 0 asks the system for any free port (tests use it).
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Written back the way the config takes it.
    public var description: String { HostPort.join(host: host, port: port) }

    /// Reads `host:port`; `examplePort` is the port a fix shows when the text has none.
    static func parse(_ text: String, examplePort: Int = 8080) -> Result<ListenAddress, ValueProblem> {
        let loopback = "127.0.0.1:\(examplePort)"
        if text.contains("://") {
            return .failure(ValueProblem("a listen address has no scheme, only `host:port`", examples: [loopback]))
        }
        if let port = Int(text) {
            let example = (0...65_535).contains(port) ? "127.0.0.1:\(port)" : loopback
            return .failure(ValueProblem(
                "`\(text)` is only a port: write the address to listen on too", examples: [example]))
        }
        let parts: HostPort.Parts
        switch HostPort.split(text[...]) {
        case .success(let split): parts = split
        case .failure(let error): return .failure(ValueProblem(error.message, examples: [error.example ?? loopback]))
        }
        // `:8080` listens on every interface, as most servers read it.
        let host = parts.host.isEmpty ? "0.0.0.0" : String(parts.host)
        guard let portText = parts.port else {
            let example = HostPort.join(host: host, port: examplePort)
            return .failure(ValueProblem("`\(text)` has no port", examples: [example]))
        }
        guard let port = HostPort.port(portText) else {
            return .failure(ValueProblem(
                "`\(portText)` is not a port (0 to 65535)", examples: [HostPort.join(host: host, port: examplePort)]))
        }
        guard HostPort.isValidHost(host) else {
            return .failure(ValueProblem("`\(host)` is not a host name or IP address", examples: [loopback]))
        }
        return .success(ListenAddress(host: host, port: port))
    }
}
