/// Finds every occurrence of many byte strings in one pass over the text, one table
/// lookup per byte, and can stop and resume anywhere (its whole memory is one state).
///
/// The automaton is a full DFA: failure links are folded into the transition table at
/// build time. Columns are byte classes (each byte that occurs in some pattern has its
/// own class; all other bytes share one), which keeps rows short. States are the row
/// offsets into the table, so a step is `table[state + class]` with no multiplication;
/// states with outputs are numbered last, so "is there a match here" is one
/// comparison; and at the start state, bytes that start no pattern are skipped in a
/// loop that does not wait for each step. Pattern ids are indices into the patterns given to `init`; duplicates
/// each report their own id; empty patterns never match.
struct AhoCorasick: Sendable {
    /// The state before any text.
    static let start: Int32 = 0

    /// The byte class of each byte.
    private let byteClasses: [Int32]
    /// Number of byte classes: the length of one row.
    private let stride: Int
    /// Row after row, the next state for each class.
    private let transitions: [Int32]
    /// States from this one on have outputs.
    private let firstOutputState: Int32
    /// Per state index (state / stride): the length of the longest pattern prefix that
    /// the state stands for.
    private let depths: [Int32]
    /// Per state index: its own pattern ids are `outputIDs[outputStarts[i]..<outputStarts[i + 1]]`.
    private let outputStarts: [Int32]
    private let outputIDs: [Int32]
    /// Per state index: the longest proper suffix state with its own pattern ids, or -1.
    private let dictionaryLinks: [Int32]
    private let patternLengths: [Int]

    init(patterns: [[UInt8]]) {
        var used = [Bool](repeating: false, count: 256)
        for pattern in patterns {
            for byte in pattern { used[Int(byte)] = true }
        }
        var classes = [Int32](repeating: 0, count: 256)
        var classCount: Int32 = 1
        for byte in 0..<256 where used[byte] {
            classes[byte] = classCount
            classCount += 1
        }
        let stride = Int(classCount)
        byteClasses = classes
        self.stride = stride
        patternLengths = patterns.map(\.count)

        let trie = Trie(patterns: patterns, classes: classes, stride: stride)
        // Number states without outputs first (the root has none: it stands for the empty
        // prefix and empty patterns are not added), then states with outputs.
        let stateCount = trie.depths.count
        precondition(stateCount * stride <= Int(Int32.max), "too many patterns for one automaton")
        let quiet = (0..<stateCount).filter { !trie.hasOutput($0) }
        let order = quiet + (0..<stateCount).filter(trie.hasOutput)
        var newIndex = [Int](repeating: 0, count: stateCount)
        for (index, state) in order.enumerated() { newIndex[state] = index }
        let offset = { (state: Int32) in Int32(newIndex[Int(state)] * stride) }

        transitions = order.flatMap { state in trie.delta[(state * stride)..<((state + 1) * stride)].map(offset) }
        firstOutputState = Int32(quiet.count * stride)
        depths = order.map { trie.depths[$0] }
        dictionaryLinks = order.map { trie.dictionaryLinks[$0] < 0 ? -1 : offset(trie.dictionaryLinks[$0]) }
        var starts: [Int32] = [0]
        var ids: [Int32] = []
        for state in order {
            ids += trie.outputs[state]
            starts.append(Int32(ids.count))
        }
        outputStarts = starts
        outputIDs = ids
    }

    /// The state after reading `byte` in `state`.
    @inline(__always)
    func next(_ state: Int32, _ byte: UInt8) -> Int32 {
        transitions[Int(state) &+ Int(byteClasses[Int(byte)])]
    }

    /// The length of the longest pattern prefix that is a suffix of the text read so
    /// far: the bytes a streaming filter must hold back, since a match may still start there.
    func depth(_ state: Int32) -> Int {
        Int(depths[Int(state) / stride])
    }

    /// Whether some pattern ends where the text read so far ends.
    @inline(__always)
    func hasOutput(_ state: Int32) -> Bool {
        state >= firstOutputState
    }

    /// Calls `body` with every pattern that ends where the text read so far ends,
    /// longest first.
    @inline(__always)
    func forEachOutput(of state: Int32, _ body: (Int32) -> Void) {
        var current = state
        while current >= 0 {
            let index = Int(current) / stride
            for position in Int(outputStarts[index])..<Int(outputStarts[index + 1]) {
                body(outputIDs[position])
            }
            current = dictionaryLinks[index]
        }
    }

    func patternLength(_ id: Int32) -> Int {
        patternLengths[Int(id)]
    }

    /// Reads `bytes` from `state` and returns the state after them, calling `onMatch`
    /// with each pattern id and the global offset where it ends (exclusive), in text order.
    /// `baseOffset` is the global offset of `bytes[0]`.
    func scan(
        _ bytes: UnsafeBufferPointer<UInt8>, from state: Int32, baseOffset: Int,
        _ onMatch: (Int32, Int) -> Void
    ) -> Int32 {
        transitions.withUnsafeBufferPointer { table in
            byteClasses.withUnsafeBufferPointer { classes in
                guard let table = table.baseAddress, let classes = classes.baseAddress else { return state }
                var current = state
                var index = 0
                while index < bytes.count {
                    if current == Self.start {
                        // Bytes that lead from the root back to the root are skipped
                        // without waiting for each step's result: clean text is
                        // mostly such bytes, and this loop has no dependency chain.
                        while index < bytes.count && table[Int(classes[Int(bytes[index])])] == Self.start {
                            index += 1
                        }
                        guard index < bytes.count else { break }
                    }
                    // The column is found before the state is known, so the step on the
                    // critical path is a single load; states are never negative, so
                    // zero extension (free) replaces sign extension.
                    let column = table + Int(classes[Int(bytes[index])])
                    current = column[Int(UInt32(bitPattern: current))]
                    index += 1
                    if current >= firstOutputState {
                        reportOutputs(of: current, end: baseOffset + index, onMatch)
                    }
                }
                return current
            }
        }
    }

    /// Kept out of `scan`'s loop so that the loop keeps its values in registers.
    @inline(never)
    private func reportOutputs(of state: Int32, end: Int, _ onMatch: (Int32, Int) -> Void) {
        forEachOutput(of: state) { onMatch($0, end) }
    }
}

extension AhoCorasick {
    /// The automaton before renumbering: a trie over byte classes whose missing edges
    /// are then filled with the failure transitions, in breadth-first order.
    private struct Trie {
        /// State `s`'s row is `delta[s * stride ..< (s + 1) * stride]`; state 0 is the root.
        var delta: [Int32]
        var depths: [Int32] = [0]
        var outputs: [[Int32]] = [[]]
        var dictionaryLinks: [Int32] = [-1]

        init(patterns: [[UInt8]], classes: [Int32], stride: Int) {
            delta = [Int32](repeating: -1, count: stride)
            for (id, pattern) in patterns.enumerated() where !pattern.isEmpty {
                var state = 0
                for byte in pattern {
                    let edge = state * stride + Int(classes[Int(byte)])
                    if delta[edge] < 0 {
                        delta[edge] = Int32(depths.count)
                        delta += repeatElement(-1, count: stride)
                        depths.append(depths[state] + 1)
                        outputs.append([])
                        dictionaryLinks.append(-1)
                    }
                    state = Int(delta[edge])
                }
                outputs[state].append(Int32(id))
            }
            fillFailureTransitions(stride: stride)
        }

        func hasOutput(_ state: Int) -> Bool {
            !outputs[state].isEmpty || dictionaryLinks[state] >= 0
        }

        /// Breadth first, every state's row is completed from its failure state's row,
        /// which is shallower and so already complete.
        private mutating func fillFailureTransitions(stride: Int) {
            var failure = [Int](repeating: 0, count: depths.count)
            var queue: [Int] = []
            for column in 0..<stride {
                if delta[column] < 0 {
                    delta[column] = 0
                } else {
                    queue.append(Int(delta[column]))
                }
            }
            var head = 0
            while head < queue.count {
                let state = queue[head]
                head += 1
                let fallback = failure[state]
                dictionaryLinks[state] = outputs[fallback].isEmpty ? dictionaryLinks[fallback] : Int32(fallback)
                for column in 0..<stride {
                    let edge = state * stride + column
                    let fallbackTarget = delta[fallback * stride + column]
                    if delta[edge] < 0 {
                        delta[edge] = fallbackTarget
                    } else {
                        let child = Int(delta[edge])
                        failure[child] = Int(fallbackTarget)
                        queue.append(child)
                    }
                }
            }
        }
    }
}
