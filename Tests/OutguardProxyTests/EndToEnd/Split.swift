import NIOCore

/// A way to cut a body into the writes an upstream makes: fixed-size pieces (one byte
/// splits every UTF-8 character, SSE line and JSON string) or random cut points from a
/// seeded generator, so a failure can be replayed.
///
/// Each write is one chunk of a chunked body, and NIO's decoder hands the proxy every
/// chunk as a body part of its own, so the proxy's filter sees exactly these cuts
/// even when TCP delivers several chunks in one read.
enum Split: Sendable, CustomStringConvertible {
    case pieces(Int)
    case random(seed: UInt64, cuts: Int)

    /// Every split the chunking tests use. One byte already cuts everywhere; 3 and 7
    /// put several cuts into one frame at changing offsets. (Pieces of 2 added a third
    /// to the run time of the slowest tests and no place that 1 does not cut.)
    static let all: [Split] = [
        .pieces(1), .pieces(3), .pieces(7),
        .random(seed: 1, cuts: 40), .random(seed: 2, cuts: 40), .random(seed: 3, cuts: 120),
    ]

    var description: String {
        switch self {
        case .pieces(let size): "pieces of \(size) bytes"
        case .random(let seed, let cuts): "\(cuts) random cuts (seed \(seed))"
        }
    }

    /// Random cuts are few enough to wait a little between writes, so that each one
    /// arrives as a read of its own; fixed pieces are written back to back.
    var delay: TimeAmount? {
        if case .random = self { return .milliseconds(1) }
        return nil
    }

    func apply(to bytes: [UInt8]) -> [[UInt8]] {
        switch self {
        case .pieces(let size):
            return stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<min($0 + size, bytes.count)]) }
        case .random(let seed, let cuts):
            var generator = SplitMix64(seed: seed)
            let points = Set((0..<cuts).map { _ in Int.random(in: 1..<max(bytes.count, 2), using: &generator) })
            let bounds = [0] + points.sorted().filter { $0 < bytes.count } + [bytes.count]
            return zip(bounds, bounds.dropFirst()).map { Array(bytes[$0..<$1]) }
        }
    }
}

/// A small seeded random number generator (SplitMix64).
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
