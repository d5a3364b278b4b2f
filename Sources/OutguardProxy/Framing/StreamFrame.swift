/// One unit of a streamed body as the upstream framed it: an SSE event (up to and
/// including its blank line) or an NDJSON line. Its bytes are slices of the read they
/// came in (`FrameBuffer`).
struct StreamFrame: Sendable {
    /// The exact bytes the upstream sent for this frame.
    var raw: ArraySlice<UInt8>
    /// The JSON text the frame carries (SSE `data:` lines joined; the NDJSON line),
    /// nil for frames without data (SSE comments, blank lines).
    var payload: ArraySlice<UInt8>?
    /// The SSE `event:` name, if any.
    var event: String?

    /// No bytes: what a frame moved out of a collection leaves in its place.
    static let empty = StreamFrame(raw: [], payload: nil, event: nil)

    /// Moves this frame out, leaving `empty`: for a frame in a collection that never reads
    /// it again, as a copy would retain and later release each of its buffers.
    mutating func take() -> StreamFrame {
        var frame = StreamFrame.empty
        swap(&frame, &self)
        return frame
    }
}

/// Splits a streamed body into frames as bytes arrive, and writes frames back.
protocol FrameCodec: Sendable {
    /// Appends `bytes` and returns every frame they complete. (A concrete buffer, not a
    /// generic collection: through the existential a generic one would be read byte by
    /// byte through protocol witnesses.)
    mutating func decode(_ bytes: UnsafeRawBufferPointer, into frames: inout [StreamFrame])
    /// The body ended: returns what is left as a last frame (possibly incomplete).
    mutating func finish(into frames: inout [StreamFrame])
    /// `frame` with its payload replaced, every other line kept.
    func encode(_ frame: StreamFrame, payload: [UInt8]) -> [UInt8]
    /// A new frame carrying `payload` (with an SSE event name, where the API uses them).
    func makeFrame(event: String?, payload: [UInt8]) -> [UInt8]
}

extension StreamFraming {
    func makeCodec() -> any FrameCodec {
        switch self {
        case .sse: SSECodec()
        case .ndjson: NDJSONCodec()
        }
    }
}
