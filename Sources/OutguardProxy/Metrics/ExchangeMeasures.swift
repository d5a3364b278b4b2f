import NIOCore
import NIOHTTP1
import OutguardEngine

/// What one exchange measures for the metrics as it goes: plain stores into the
/// exchange on its event loop, handed to `ProxyMetrics` once, when the response ends.
/// Nothing here touches a shared counter per chunk.
struct ExchangeMeasures {
    /// When the request was handed to the upstream; nil when Outguard answered it itself.
    var forwarded: NIODeadline?
    /// From `forwarded` to the upstream's response head.
    var upstreamTime: TimeAmount?
    /// The status the client was sent (nil until the response head is written).
    var status: HTTPResponseStatus?
    /// What the client was told in `Outguard-Action` (header or trailer).
    var action = Verdict.Outcome.pass
    /// Body bytes received from the upstream.
    var bytesIn = 0
    /// Body bytes sent to the client.
    var bytesOut = 0
    /// Time spent filtering the response; nil when it was not filtered.
    var engineTime: TimeAmount?
    var streamed = false
    /// For a stream: the most bytes of upstream frames held back at once.
    var heldBackBytes: Int?
    /// Set once the response is counted, so a response is counted once whichever way it ends.
    var counted = false

    /// The upstream's response head arrived.
    mutating func upstreamResponded() {
        guard let forwarded, upstreamTime == nil else { return }
        upstreamTime = .now() - forwarded
    }

    /// A whole body was filtered, from `start` until now.
    mutating func filtered(since start: NIODeadline, outcome: Verdict.Outcome) {
        engineTime = .now() - start
        action = outcome
    }

    /// A stream ended (or was cut short): what its filter did.
    mutating func filtered(by filter: StreamBodyFilter) {
        engineTime = filter.filterTime
        heldBackBytes = filter.mostHeldBytes
        streamed = true
        action = filter.outcome
    }
}
