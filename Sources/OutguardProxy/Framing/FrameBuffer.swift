/// The bytes a stream's frames are cut from, read by read.
///
/// A frame is a slice of this buffer, not a copy: a frame and its payload cost no
/// allocation of their own (a stream has dozens of events per read). Frames wait in
/// the relay's queue, so the buffer never changes bytes a frame holds: once a frame was
/// cut, the next read starts a new buffer with the unfinished frame's bytes, copied
/// once. Before that, reads are appended in place.
struct FrameBuffer {
    private(set) var bytes: [UInt8] = []
    /// Where the unfinished frame starts.
    private(set) var frameStart = 0
    /// Whether a frame was cut from `bytes`, which then is shared.
    private var cut = false

    /// Adds a read; returns by how much earlier indices moved (the bytes before
    /// `frameStart` dropped).
    mutating func append(_ read: UnsafeRawBufferPointer) -> Int {
        guard cut else {
            bytes.append(contentsOf: read)
            return 0
        }
        var next: [UInt8] = []
        next.reserveCapacity(bytes.count - frameStart + read.count)
        next.append(contentsOf: bytes[frameStart...])
        next.append(contentsOf: read)
        let moved = frameStart
        (bytes, frameStart, cut) = (next, 0, false)
        return moved
    }

    /// The frame from `frameStart` up to `end`; the next one starts there.
    mutating func cutFrame(upTo end: Int) -> ArraySlice<UInt8> {
        let frame = bytes[frameStart..<end]
        (frameStart, cut) = (end, true)
        return frame
    }

    /// The unfinished frame's bytes, if any; the buffer is empty after.
    mutating func takeRest() -> ArraySlice<UInt8>? {
        let rest = frameStart < bytes.count ? bytes[frameStart...] : nil
        (bytes, frameStart, cut) = ([], 0, false)
        return rest
    }
}
