import PropertyBased
import Testing

@testable import OutguardEngine

private struct Match: Hashable, Comparable, CustomStringConvertible {
    var id: Int32
    var end: Int

    static func < (lhs: Match, rhs: Match) -> Bool { (lhs.end, lhs.id) < (rhs.end, rhs.id) }
    var description: String { "\(id)@\(end)" }
}

private func automaton(_ patterns: [String]) -> AhoCorasick {
    AhoCorasick(patterns: patterns.map { Array($0.utf8) })
}

/// Scans `text` in pieces cut at `cuts`, carrying the state over; returns the matches
/// and the final state.
private func scan(_ automaton: AhoCorasick, _ text: [UInt8], cuts: [Int] = []) -> (matches: [Match], state: Int32) {
    var matches: [Match] = []
    var state = AhoCorasick.start
    let bounds = [0] + cuts.map { min($0, text.count) }.sorted() + [text.count]
    for (from, to) in zip(bounds, bounds.dropFirst()) where from < to {
        state = text[from..<to].withUnsafeBufferPointer { piece in
            automaton.scan(piece, from: state, baseOffset: from) { matches.append(Match(id: $0, end: $1)) }
        }
    }
    return (matches, state)
}

private func scan(_ automaton: AhoCorasick, _ text: String) -> [Match] {
    scan(automaton, Array(text.utf8)).matches.sorted()
}

@Test func findsTheClassicExample() {
    let machine = automaton(["he", "she", "his", "hers"])
    #expect(scan(machine, "ushers") == [Match(id: 0, end: 4), Match(id: 1, end: 4), Match(id: 3, end: 6)])
    #expect(scan(machine, "hishe") == [Match(id: 2, end: 3), Match(id: 0, end: 5), Match(id: 1, end: 5)])
    #expect(scan(machine, "nothing here").map(\.id) == [0])
    #expect(scan(machine, "xyz").isEmpty)
}

@Test func reportsOverlappingAndNestedPatterns() {
    let machine = automaton(["a", "aa", "aaa", "ab", "b"])
    let matches = scan(machine, "aaab")
    #expect(matches.filter { $0.id == 0 }.map(\.end) == [1, 2, 3])
    #expect(matches.filter { $0.id == 1 }.map(\.end) == [2, 3])
    #expect(matches.filter { $0.id == 2 }.map(\.end) == [3])
    #expect(matches.filter { $0.id >= 3 } == [Match(id: 3, end: 4), Match(id: 4, end: 4)])
}

@Test func reportsDuplicatePatternsUnderEachID() {
    let machine = automaton(["ab", "x", "ab", ""])
    let expected = [Match(id: 0, end: 2), Match(id: 2, end: 2), Match(id: 0, end: 4), Match(id: 2, end: 4)]
    #expect(scan(machine, "abab") == expected)
}

@Test func outputsComeLongestFirst() {
    let machine = automaton(["c", "abc", "bc"])
    let state = "abc".utf8.reduce(AhoCorasick.start) { machine.next($0, $1) }
    #expect(machine.hasOutput(state))
    var ids: [Int32] = []
    machine.forEachOutput(of: state) { ids.append($0) }
    #expect(ids == [1, 2, 0])
    #expect(ids.map(machine.patternLength) == [3, 2, 1])
}

@Test func depthIsTheLongestPatternPrefixEndingHere() {
    let machine = automaton(["abcd", "bcx"])
    func depth(after text: String) -> Int {
        machine.depth(text.utf8.reduce(AhoCorasick.start) { machine.next($0, $1) })
    }
    #expect(depth(after: "") == 0)
    #expect(depth(after: "zzab") == 2)
    #expect(depth(after: "zabc") == 3)
    #expect(depth(after: "zabcd") == 4)
    #expect(depth(after: "abce") == 0)
    #expect(depth(after: "abcb") == 1)
    #expect(!machine.hasOutput(AhoCorasick.start))
}

@Test func matchesJapaneseInUTF8() {
    let machine = automaton(["アクメ", "競合", "メガネ"])
    let text = "当社と競合のアクメガネ"
    let ends = scan(machine, text).map { match in
        String(decoding: Array(text.utf8)[..<match.end], as: UTF8.self)
    }
    #expect(ends == ["当社と競合", "当社と競合のアクメ", "当社と競合のアクメガネ"])
}

@Test func anAutomatonWithoutPatternsNeverMatches() {
    let machine = automaton([])
    #expect(scan(machine, "anything").isEmpty)
    #expect(machine.depth(scan(machine, Array("abc".utf8)).state) == 0)
}

// MARK: - Against a naive search

private let alphabet: [String] = ["a", "b", "c", "あ", "\u{0}", "\u{FF}"]
private let words = Gen.element(of: alphabet).map { $0! }.array(of: 1...4).map { $0.joined() }
private let haystacks = Gen.element(of: alphabet).map { $0! }.array(of: 0...40).map { $0.joined() }

private func naiveMatches(_ patterns: [[UInt8]], _ text: [UInt8]) -> [Match] {
    var matches: [Match] = []
    for (id, pattern) in patterns.enumerated() where !pattern.isEmpty && pattern.count <= text.count {
        for start in 0...(text.count - pattern.count) where text[start..<(start + pattern.count)].elementsEqual(pattern)
        {
            matches.append(Match(id: Int32(id), end: start + pattern.count))
        }
    }
    return matches.sorted()
}

private func naiveDepth(_ patterns: [[UInt8]], _ text: [UInt8]) -> Int {
    patterns.flatMap { pattern in
        (0...min(pattern.count, text.count)).filter { pattern.prefix($0).elementsEqual(text.suffix($0)) }
    }.max() ?? 0
}

@Test func agreesWithANaiveSearch() async {
    await propertyCheck(count: 400, input: words.array(of: 0...8), haystacks, Gen.int(in: 0...60).array(of: 0...4)) {
        words, text, cuts in
        let patterns = words.map { Array($0.utf8) }
        let bytes = Array(text.utf8)
        let (matches, state) = scan(AhoCorasick(patterns: patterns), bytes, cuts: cuts)
        #expect(matches.sorted() == naiveMatches(patterns, bytes))
        #expect(AhoCorasick(patterns: patterns).depth(state) == naiveDepth(patterns, bytes))
    }
}
