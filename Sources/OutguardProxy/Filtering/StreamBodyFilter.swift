import NIOCore
import OutguardEngine

/// Filters one streamed response body (SSE or NDJSON): bytes from the upstream in,
/// bytes for the client out. Frames whose text is clean go out exactly as they came.
///
/// With classifier rules, verdicts arrive between upstream reads: each one may let held
/// frames go, which `onProgress` is told about, and the stream is over only once every
/// verdict is in.
///
/// A class: it lives as long as its response and is reached through the exchange on
/// every upstream read, where a struct's many stored fields would be copied in and out.
final class StreamBodyFilter {
    private var codec: any FrameCodec
    private var reader: any StreamReader
    private var relay: StreamRelay
    private let failClosed: Bool
    private let asker: ClassifierAsker?
    /// Set once the stream is over for the client: blocked, refused as malformed, or
    /// ended by the upstream with every frame sent.
    private(set) var isFinished = false
    private var upstreamEnded = false
    /// Set while a read is handled: its own release sends what answers decide meanwhile.
    private var handling = false
    /// Called on the event loop when a classifier's verdict may have let frames go:
    /// `drain()` has bytes to send, or the stream finished.
    var onProgress: (() -> Void)?
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
        failClosed: Bool, classifiers: ClassifierAsker? = nil, keepsText: Bool = false
    ) {
        codec = framing.makeCodec()
        reader = adapter.makeStreamReader(options: options)
        relay = StreamRelay(policy: policy, failClosed: failClosed, classifiers: classifiers?.plan, keepsText: keepsText)
        self.failClosed = failClosed
        asker = classifiers
    }

    /// Every text of the response so far, with its findings.
    var texts: [FilteredText] { relay.texts }
    var outcome: Verdict.Outcome { relay.outcome }

    /// Takes the next bytes of the upstream body; returns the bytes to send now, in the
    /// buffer the client's write takes as it is.
    func process(_ bytes: UnsafeRawBufferPointer) -> ByteBuffer {
        guard !isFinished else { return ByteBuffer() }
        let start = NIODeadline.now()
        defer { filterTime = filterTime + (.now() - start) }
        codec.decode(bytes, each: read)
        // Clean frames go out as they came: room for all of them, so the buffer never grows.
        return scanAndRelease(atEnd: false, expecting: bytes.count)
    }

    /// The upstream body ended; returns what can be sent now (with classifier verdicts
    /// still out, the rest follows through `onProgress`).
    func finish() -> ByteBuffer {
        guard !isFinished else { return ByteBuffer() }
        let start = NIODeadline.now()
        defer { filterTime = filterTime + (.now() - start) }
        codec.finish(each: read)
        upstreamEnded = true
        return scanAndRelease(atEnd: true, expecting: 0)
    }

    /// What a verdict let go since the last call.
    func drain() -> ByteBuffer {
        var output = ByteBuffer()
        if !isFinished { release(into: &output) }
        return output
    }

    /// After a read's frames were queued: runs the rules over their text and sends what
    /// they decided.
    private func scanAndRelease(atEnd: Bool, expecting size: Int) -> ByteBuffer {
        var output = ByteBufferAllocator().buffer(capacity: size + 64)
        // The rules run once over all the text this read brought: in the last step when
        // the body ended with it.
        if atEnd {
            relay.finishAll()
            relay.awaitVerdicts()
        } else {
            relay.scan()
        }
        // Answers already known (the cache, an open breaker) come in while asking: the
        // release below sends what they decide, in order with this read's frames.
        handling = true
        ask()
        handling = false
        release(into: &output)
        return output
    }

    /// Sends what is decided; ends the stream once blocked, or once the upstream ended
    /// and nothing is left to wait for.
    private func release(into output: inout ByteBuffer) {
        while let ready = relay.next() { write(ready, to: &output) }
        mostHeldBytes = max(mostHeldBytes, relay.heldBytes)
        // A block's closing frames go once everything before its cut went.
        if let block = relay.block, relay.isClosed {
            for frame in reader.blockFrames(block, codec: codec) { output.writeBytes(frame) }
            isFinished = true
        } else if upstreamEnded && relay.isDrained && relay.isSettled {
            isFinished = true
        }
    }

    /// Sends the classifier questions the last frames raised.
    private func ask() {
        guard let asker else { return }
        for (segment, call) in relay.takeCalls() {
            asker.ask(call).assumeIsolated().whenSuccess { [weak self] result in
                guard let self, !self.isFinished else { return }
                self.relay.answer(result, of: segment, lane: call.lane, unit: call.unit)
                if !self.handling { self.onProgress?() }
            }
        }
    }

    /// Reads a frame the codec cut and queues it in the relay (nothing more after a block).
    private func read(_ frame: consuming StreamFrame) {
        guard relay.block == nil else { return }
        guard let payload = frame.payload, !Self.isDoneMarker(payload) else {
            relay.enqueue(frame)
            return
        }
        do {
            let document = try JSONDocument(payload)
            reader.read(document.root, relay: &relay)
            relay.enqueue(frame)
        } catch {
            malformedFrames += 1
            if failClosed {
                relay.stop(message: Policy.uncheckedMessage)
            } else {
                relay.enqueue(frame)
            }
        }
    }

    private func write(_ ready: StreamRelay.Ready, to output: inout ByteBuffer) {
        guard !ready.changes.isEmpty, let payload = ready.frame.payload else {
            output.writeBytes(ready.frame.raw)
            return
        }
        var edits = JSONEdits()
        for (range, text) in ready.changes {
            edits.replace(range, withJSON: text.withUnsafeBufferPointer(JSONString.encoded(utf8:)))
        }
        output.writeBytes(codec.encode(ready.frame, payload: edits.apply(to: payload)))
    }

    /// OpenAI's `data: [DONE]` terminator.
    private static func isDoneMarker(_ payload: ArraySlice<UInt8>) -> Bool { payload.equals("[DONE]") }
}
