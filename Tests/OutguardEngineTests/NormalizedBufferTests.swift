import Testing

@testable import OutguardEngine

private func appendAffine(_ text: String, to buffer: inout NormalizedBuffer) {
    Array(text.utf8).withUnsafeBufferPointer { buffer.appendAffine($0) }
}

private func appendCluster(_ text: String, originalCount: Int, to buffer: inout NormalizedBuffer) {
    Array(text.utf8).withUnsafeBufferPointer { buffer.appendCluster($0, originalCount: originalCount) }
}

private func bytes(of buffer: NormalizedBuffer) -> String {
    buffer.withBytes { String(decoding: $0, as: UTF8.self) }
}

/// "ab" + "ﬁ"→"fi" + ZWSP→"" + "cd": original offsets a0 b1 ﬁ2..5 ZWSP5..8 c8 d9.
private func sample() -> NormalizedBuffer {
    var buffer = NormalizedBuffer()
    appendAffine("ab", to: &buffer)
    appendCluster("fi", originalCount: 3, to: &buffer)
    appendCluster("", originalCount: 3, to: &buffer)
    appendAffine("cd", to: &buffer)
    return buffer
}

@Test func affineRunsMapByOffsetAndClustersAsAWhole() {
    let buffer = sample()
    #expect(bytes(of: buffer) == "abficd")
    #expect(buffer.end == 6 && buffer.originalEnd == 10)
    #expect(buffer.originalRange(of: 0..<2) == 0..<2)
    #expect(buffer.originalRange(of: 1..<2) == 1..<2)
    // Half of the cluster's output takes the whole cluster.
    #expect(buffer.originalRange(of: 2..<3) == 2..<5)
    #expect(buffer.originalRange(of: 3..<4) == 2..<5)
    #expect(buffer.originalRange(of: 1..<3) == 1..<5)
    // A dropped character inside the range is covered; one at its edge is not.
    #expect(buffer.originalRange(of: 3..<5) == 2..<9)
    #expect(buffer.originalRange(of: 4..<6) == 8..<10)
    #expect(buffer.originalOffset(ofNormalized: 3) == 2)
    #expect(buffer.originalOffset(ofNormalized: 4) == 8)
    #expect(buffer.originalOffset(ofNormalized: 6) == 10)
}

@Test func emptyRangesMapToWhereTheirByteCameFrom() {
    let buffer = sample()
    #expect(buffer.originalRange(of: 0..<0) == 0..<0)
    #expect(buffer.originalRange(of: 2..<2) == 2..<2)
    #expect(buffer.originalRange(of: 4..<4) == 8..<8)
    #expect(buffer.originalRange(of: 6..<6) == 10..<10)
}

@Test func contiguousAffineAppendsCoalesce() {
    var buffer = NormalizedBuffer()
    for _ in 0..<1000 { appendAffine("x", to: &buffer) }
    #expect(buffer.originalRange(of: 0..<1000) == 0..<1000)
    #expect(buffer.originalRange(of: 500..<501) == 500..<501)
}

@Test func discardForgetsThePrefixButKeepsOffsetsGlobal() {
    var buffer = sample()
    buffer.discard(before: 3)
    #expect(buffer.start == 3)
    #expect(bytes(of: buffer) == "icd")
    #expect(buffer.originalRange(of: 3..<4) == 2..<5)
    #expect(buffer.originalRange(of: 4..<6) == 8..<10)
    buffer.discard(before: 2)  // already gone: no effect
    #expect(buffer.start == 3)
    buffer.discard(before: 6)
    #expect(bytes(of: buffer).isEmpty)
    #expect(buffer.originalOffset(ofNormalized: 6) == 10)
    appendAffine("e", to: &buffer)
    #expect(buffer.originalRange(of: 6..<7) == 10..<11)
}

@Test func longStreamsCompactAndStayExact() {
    var buffer = NormalizedBuffer()
    var expected = ""
    for round in 0..<5000 {
        appendAffine("abc", to: &buffer)
        appendCluster("x", originalCount: 2, to: &buffer)
        expected += "abcx"
        buffer.discard(before: buffer.end - 6)
        let normalizedStart = round * 4
        #expect(
            buffer.originalRange(of: (normalizedStart + 3)..<(normalizedStart + 4)) == (round * 5 + 3)..<(round * 5 + 5)
        )
    }
    #expect(bytes(of: buffer) == String(expected.suffix(6)))
    #expect(buffer.originalRange(of: (buffer.end - 6)..<buffer.end) == (buffer.originalEnd - 8)..<buffer.originalEnd)
}
