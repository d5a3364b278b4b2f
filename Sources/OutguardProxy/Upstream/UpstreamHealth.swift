public import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// Whether the upstream took the newest connection the proxy opened to it, for `/readyz`.
/// Only new connections report (pooled ones are reused silently), so keeping it costs a
/// lock per connection, not per request.
public final class UpstreamHealth: Sendable {
    public enum State: Sendable, Equatable {
        /// No connection opened yet: the first request will tell.
        case notTried
        case reachable(at: Date)
        case unreachable(at: Date, reason: String)
    }

    /// `host:port`, for messages.
    public let address: String
    private let target: UpstreamTarget
    private let connectTimeout: TimeAmount
    private let state = Mutex(State.notTried)

    init(target: UpstreamTarget, connectTimeout: TimeAmount) {
        self.target = target
        self.connectTimeout = connectTimeout
        address = target.hostHeader.contains(":") ? target.hostHeader : "\(target.host):\(target.port)"
    }

    public var current: State { state.withLock { $0 } }

    func connected() {
        state.withLock { $0 = .reachable(at: Date()) }
    }

    func failed(_ error: any Error) {
        state.withLock { $0 = .unreachable(at: Date(), reason: "\(error)") }
    }

    /// Opens (and closes) one TCP connection to the upstream now. `/readyz` calls this
    /// while the upstream is unreachable, because a sidecar taken out of service gets no
    /// requests, and without them it would never see the upstream come back.
    public func probe() async -> State {
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connectTimeout(connectTimeout)
        do {
            let channel = try await bootstrap.connect(host: target.host, port: target.port).get()
            try? await channel.close()
            connected()
        } catch {
            failed(error)
        }
        return current
    }
}
