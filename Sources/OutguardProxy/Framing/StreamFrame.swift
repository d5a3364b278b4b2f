/// One unit of a streamed body as the upstream framed it: an SSE event (up to and
/// including its blank line) or an NDJSON line. Its bytes are slices of the read they
/// came in (`FrameBuffer`).
struct StreamFrame: Sendable {
    /// The exact bytes the upstream sent for this frame.
    var raw: ArraySlice<UInt8>
    /// The JSON text the frame carries (SSE `data:` lines joined; the NDJSON line),
    /// nil for frames without data (SSE comments, blank lines). (An SSE event's name
    /// stays in `raw`: the adapters tell events apart by their JSON `type`.)
    var payload: ArraySlice<UInt8>?

    /// No bytes.
    static let empty = StreamFrame(raw: [], payload: nil)
}

/// Splits a streamed body into frames as bytes arrive, and writes frames back.
protocol FrameCodec: Sendable {
    /// Appends `bytes` and hands over every frame they complete, in order. (A concrete
    /// buffer, not a generic collection: through the existential a generic one would be
    /// read byte by byte through protocol witnesses. Frames handed over, not returned in
    /// an array: a frame moved out of an array is copied, its buffers retained.)
    mutating func decode(_ bytes: UnsafeRawBufferPointer, each frame: (consuming StreamFrame) -> Void)
    /// The body ended: hands over what is left as a last frame (possibly incomplete).
    mutating func finish(each frame: (consuming StreamFrame) -> Void)
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
