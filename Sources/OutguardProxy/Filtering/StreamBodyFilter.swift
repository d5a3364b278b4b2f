import NIOCore
import OutguardEngine

/// Filters one streamed response body (SSE or NDJSON): bytes from the upstream in,
/// bytes for the client out. Frames whose text is clean go out exactly as they came.
///
/// A class: it lives as long as its response and is reached through the exchange on
/// every upstream read, where a struct's many stored fields would be copied in and out.
final class StreamBodyFilter {
    private var codec: any FrameCodec
    private var reader: any StreamReader
    private var relay: StreamRelay
    private let failClosed: Bool
    private var frames: [StreamFrame] = []
    /// Set once the stream is over for the client (blocked, or refused as malformed).
    private(set) var isFinished = false
    /// Frames that were not JSON where JSON was expected.
    private(set) var malformedFrames = 0
    /// Time spent in `process` and `finish` so far (for the metrics).
    private(set) var filterTime = TimeAmount.zero
    /// The most bytes of whole frames held back at once, waiting for their text to be
    /// decided, as a read of the upstream left them (for the metrics). A frame released
    /// in the same read it arrived in was never held; an incomplete frame still being
    /// read is not counted, as any proxy that reads frames would wait for it too.
    private(set) var mostHeldBytes = 0

    /// With `keepsText`, each text's original is kept for the violation log.
    init(
        adapter: any ProviderAdapter, framing: StreamFraming, policy: Policy, options: FilterOptions,
        failClosed: Bool, keepsText: Bool = false
    ) {
        codec = framing.makeCodec()
        reader = adapter.makeStreamReader(options: options)
        relay = StreamRelay(policy: policy, failClosed: failClosed, keepsText: keepsText)
        self.failClosed = failClosed
    }

    /// Every text of the response so far, with its findings.
    var texts: [FilteredText] { relay.texts }
    var outcome: Verdict.Outcome { relay.outcome }

    /// Takes the next bytes of the upstream body; returns the bytes to send now.
    func process(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        guard !isFinished else { return [] }
        let start = NIODeadline.now()
        defer { filterTime = filterTime + (.now() - start) }
        frames.removeAll(keepingCapacity: true)
        codec.decode(bytes, into: &frames)
        return handleFrames(atEnd: false)
    }

    /// The upstream body ended; returns the rest.
    func finish() -> [UInt8] {
        guard !isFinished else { return [] }
        let start = NIODeadline.now()
        defer { filterTime = filterTime + (.now() - start) }
        frames.removeAll(keepingCapacity: true)
        codec.finish(into: &frames)
        return handleFrames(atEnd: true)
    }

    private func handleFrames(atEnd: Bool) -> [UInt8] {
        var output: [UInt8] = []
        for frame in frames {
            read(frame)
            if relay.block != nil { break }
        }
        if atEnd { relay.finishAll() }
        while let ready = relay.next() { write(ready, to: &output) }
        mostHeldBytes = max(mostHeldBytes, relay.heldBytes)
        if let block = relay.block {
            for frame in reader.blockFrames(block, codec: codec) { output += frame }
            isFinished = true
        } else if atEnd {
            isFinished = true
        }
        return output
    }

    private func read(_ frame: StreamFrame) {
        guard let payload = frame.payload, !Self.isDoneMarker(payload) else {
            relay.enqueue(frame, slots: [])
            return
        }
        do {
            let document = try JSONDocument(payload)
            let slots = reader.read(document.root, in: frame, relay: &relay)
            relay.enqueue(frame, slots: slots)
        } catch {
            malformedFrames += 1
            if failClosed {
                relay.stop(message: Policy.uncheckedMessage)
            } else {
                relay.enqueue(frame, slots: [])
            }
        }
    }

    private func write(_ ready: StreamRelay.Ready, to output: inout [UInt8]) {
        guard !ready.changes.isEmpty, let payload = ready.frame.payload else {
            output += ready.frame.raw
            return
        }
        var edits = JSONEdits()
        for (node, text) in ready.changes {
            edits.replace(node, withJSON: JSONString.encoded(String(decoding: text, as: UTF8.self)))
        }
        output += codec.encode(ready.frame, payload: edits.apply(to: payload))
    }

    /// OpenAI's `data: [DONE]` terminator.
    private static func isDoneMarker(_ payload: [UInt8]) -> Bool { payload.elementsEqual("[DONE]".utf8) }
}
