import Synchronization

/// The runtime new requests start with. A reload replaces it in one step; a request keeps
/// the runtime it started with until its response ends, streams included, so no response
/// is ever filtered by a mix of two policies.
public final class RuntimeStore: Sendable {
    private let runtime: Mutex<ProxyRuntime>

    public init(_ runtime: ProxyRuntime) {
        self.runtime = Mutex(runtime)
    }

    /// The runtime for a request starting now: one uncontended lock, once per request.
    public var current: ProxyRuntime {
        runtime.withLock { $0 }
    }

    /// Puts `new` in place for every request that starts from now on; returns the one it replaced.
    @discardableResult
    func replace(with new: ProxyRuntime) -> ProxyRuntime {
        runtime.withLock { current in
            let old = current
            current = new
            return old
        }
    }
}
