/// Splits a text into pieces of varying size, as a streamed answer arrives.
enum TextSplitter {
    /// Pieces of `sizes` characters each (the last may be shorter), chosen by a
    /// seeded generator so a run can be repeated.
    static func pieces(of text: String, sizes: ClosedRange<Int>, seed: UInt64) -> [String] {
        var generator = SplitMix64(seed: seed)
        var pieces: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            let size = Int.random(in: sizes, using: &generator)
            pieces.append(String(rest.prefix(size)))
            rest = rest.dropFirst(size)
        }
        return pieces
    }
}

/// A small seeded random generator (SplitMix64), so benchmark and demo splits repeat.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
