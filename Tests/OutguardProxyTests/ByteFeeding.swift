@testable import OutguardProxy

// Tests hand over arrays and slices; the data path hands over the bytes of a ByteBuffer.

extension FrameCodec {
    mutating func decode(_ bytes: some Collection<UInt8>, into frames: inout [StreamFrame]) {
        Array(bytes).withUnsafeBytes { decode($0) { frames.append($0) } }
    }

    mutating func finish(into frames: inout [StreamFrame]) {
        finish { frames.append($0) }
    }
}

extension StreamBodyFilter {
    func process(_ bytes: some Collection<UInt8>) -> [UInt8] {
        Array(Array(bytes).withUnsafeBytes { process($0) }.readableBytesView)
    }

    /// `finish()`'s bytes.
    func finishBytes() -> [UInt8] { Array(finish().readableBytesView) }
}
