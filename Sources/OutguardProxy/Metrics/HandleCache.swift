import NIOConcurrencyHelpers

/// Metric handles by their label values, each made once, on first use.
///
/// Making a handle asks the metrics backend to register a time series (a lock and a
/// dictionary of its own, strings for every label): too much for every response. Here a
/// response costs one short lock and a lookup by a small key (see `RequestLabels`).
final class HandleCache<Key: Hashable & Sendable, Handle: Sendable>: Sendable {
    private let handles = NIOLockedValueBox<[Key: Handle]>([:])
    private let make: @Sendable (Key) -> Handle

    init(_ make: @escaping @Sendable (Key) -> Handle) {
        self.make = make
    }

    subscript(key: Key) -> Handle {
        handles.withLockedValue { handles in
            if let handle = handles[key] { return handle }
            let handle = make(key)
            handles[key] = handle
            return handle
        }
    }
}
