import NIOConcurrencyHelpers

/// The ids of the last responses this daemon served, so that feedback naming an id it
/// never served is refused at once instead of landing in the log as noise.
///
/// Bounded: a ring of the last `capacity` responses, the oldest overwritten by the
/// newest. Shared by every event loop; one short lock per response.
///
/// An id is kept as its hash, not as a string. A hundred thousand strings, each held
/// for a hundred thousand responses and then freed, scattered the event loops' heap: every
/// allocation on them got slower, and a daemon with a log served 10% fewer clean answers
/// than one without. Two ids with the same 64-bit hash (about one chance in 10^14 with a
/// full memory) would only let feedback about the wrong one through.
///
/// Only a ring, no set: remembering, once a response, writes one word where the last one
/// was written, where a set's insert and removal each touched a random place in a
/// megabyte (cache misses, about 1.5 µs a response under load). Looking up scans the
/// ring, well under a millisecond, once a feedback request.
final class RecentRequests: Sendable {
    private struct Memory {
        /// The hashes in arrival order, as a ring: `next` is where the oldest sits once full.
        var hashes: [Int] = []
        var next = 0
    }

    let capacity: Int
    private let memory: NIOLockedValueBox<Memory>

    init(capacity: Int = 100_000) {
        self.capacity = max(capacity, 1)
        var memory = Memory()
        memory.hashes.reserveCapacity(self.capacity)
        self.memory = NIOLockedValueBox(memory)
    }

    func remember(_ id: String) {
        let hash = id.hashValue
        memory.withLockedValue { memory in
            if memory.hashes.count < capacity {
                memory.hashes.append(hash)
            } else {
                memory.hashes[memory.next] = hash
                memory.next = (memory.next + 1) % capacity
            }
        }
    }

    func contains(_ id: String) -> Bool {
        let hash = id.hashValue
        return memory.withLockedValue { $0.hashes.contains(hash) }
    }
}
