public import CoreMetrics
public import Logging
public import NIOCore
import NIOPosix
public import OutguardConfig

/// Every hook of a rule set, by name: what classifier rules call. Built once per rule set
/// (a reload builds a new one and `close()`s the old one).
public final class Hooks: Sendable {
    public let clients: [String: HookClient]

    /// Builds a client for each hook; fails on the first hook that cannot be built.
    public init(
        _ definitions: [HookDefinition], environment: [String: String],
        metricsFactory: (any MetricsFactory)? = nil, tuning: HookClient.Tuning = HookClient.Tuning(),
        logger: Logger = Logger(label: "outguard.hooks")
    ) throws(HookSetupError) {
        var clients: [String: HookClient] = [:]
        for definition in definitions {
            let metrics = metricsFactory.map { HookMetrics(hook: definition.name, factory: $0) }
            clients[definition.name] = try HookClient(
                definition, environment: environment, tuning: tuning, metrics: metrics, logger: logger)
        }
        self.clients = clients
    }

    public subscript(_ name: String) -> HookClient? { clients[name] }

    /// What the hooks were built from.
    public var definitions: Set<HookDefinition> { Set(clients.values.map(\.definition)) }

    /// Every hook's probe result, by hook name.
    public func probe(on eventLoop: any EventLoop) -> EventLoopFuture<[String: HookResult]> {
        let names = clients.keys.sorted()
        let futures = names.map { clients[$0]!.probe(on: eventLoop) }
        return EventLoopFuture.whenAllSucceed(futures, on: eventLoop).map { results in
            Dictionary(uniqueKeysWithValues: zip(names, results))
        }
    }

    /// Probes every hook once: the warning of each that does not answer, in name order.
    public func probeWarnings() async -> [Diagnostic] {
        // A probe's failure is its result, so the future itself never fails.
        let results = (try? await probe(on: MultiThreadedEventLoopGroup.singleton.next()).get()) ?? [:]
        return results.sorted { $0.key < $1.key }.compactMap { name, result in
            clients[name]?.definition.probeWarning(result)
        }
    }

    /// Probes again each hook whose latest call failed, and waits for the answers. `/readyz`
    /// asks at every check: a sidecar taken out of service gets no requests, and an open
    /// breaker makes no calls, so without this a hook would not be seen to come back.
    public func reprobeUnreachable() async {
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        let probes = clients.values.filter { client in
            if case .unreachable = client.health { true } else { false }
        }.map { $0.probe(on: eventLoop) }
        for probe in probes { _ = try? await probe.get() }
    }

    public func close() {
        for client in clients.values { client.close() }
    }
}
