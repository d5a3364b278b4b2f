extension ServerConfig {
    /// This config as a reload applies it over `running`: the settings that sockets,
    /// threads, upstream connections and open log files were made from stay as they are,
    /// and the keys whose change needs a restart come back, in file order, so the daemon
    /// can say so. Rules, policies, `blocked`, `fail_mode`, `unknown_routes`, the body size
    /// limits, the response and idle timeouts and `reload` itself change at once.
    public func applied(over running: ServerConfig) -> (config: ServerConfig, needRestart: [String]) {
        var config = self
        var needRestart: [String] = []
        func keep<Value: Equatable>(_ key: String, _ path: WritableKeyPath<ServerConfig, Value>) {
            guard config[keyPath: path] != running[keyPath: path] else { return }
            needRestart.append(key)
            config[keyPath: path] = running[keyPath: path]
        }
        keep("listen", \.listen)
        keep("upstream", \.upstream)
        keep("log", \.log)
        keep("admin", \.admin)
        keep("workers", \.workers)
        keep("limits.max_header_bytes", \.limits.maxHeaderBytes)
        keep("limits.upstream_connections", \.limits.maxConnectionsPerUpstreamLoop)
        keep("timeouts.connect_ms", \.timeouts.connectMs)
        keep("timeouts.shutdown_grace_ms", \.timeouts.shutdownGraceMs)
        return (config, needRestart)
    }
}
