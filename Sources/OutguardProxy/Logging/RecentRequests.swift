import NIOConcurrencyHelpers

/// The ids of the last responses this daemon served, so that feedback naming an id it
/// never served is refused at once instead of landing in the log as noise.
///
/// Bounded: the oldest id is forgotten when a new one would exceed `capacity`. Shared by
/// every event loop; one short lock per response.
final class RecentRequests: Sendable {
    private struct Memory {
        var ids: Set<String> = []
        /// The ids in arrival order, as a ring: `next` is where the oldest sits once full.
        var order: [String] = []
        var next = 0
    }

    let capacity: Int
    private let memory = NIOLockedValueBox(Memory())

    init(capacity: Int = 100_000) {
        self.capacity = max(capacity, 1)
    }

    func remember(_ id: String) {
        memory.withLockedValue { memory in
            guard memory.ids.insert(id).inserted else { return }
            if memory.order.count < capacity {
                memory.order.append(id)
            } else {
                memory.ids.remove(memory.order[memory.next])
                memory.order[memory.next] = id
                memory.next = (memory.next + 1) % capacity
            }
        }
    }

    func contains(_ id: String) -> Bool {
        memory.withLockedValue { $0.ids.contains(id) }
    }
}
