import NIOCore
import NIOHTTP1

@testable import OutguardProxy

/// What `TestUpstream` does with one request: the head, then the body as separate
/// writes (each flushed on its own, so they leave as separate TCP segments), then how
/// the response ends. Also the faults: no answer at all, a connection closed early.
struct ScriptedResponse: Sendable {
    /// What happens after the last chunk.
    enum Ending: Sendable {
        /// The response ends normally; the connection stays open for the next request.
        case complete
        /// Nothing more is sent and the connection stays open (an upstream that stalls).
        case hang
        /// The connection is closed without ending the response.
        case close
    }

    var status = HTTPResponseStatus.ok
    var headers = HTTPHeaders()
    /// The body, one write per element.
    var chunks: [[UInt8]] = []
    /// Waits this long before the head (a slow upstream).
    var headDelay = TimeAmount.zero
    /// Waits this long before each chunk, so that chunks arrive as separate reads.
    var chunkDelay: TimeAmount?
    /// False: no head and no body, only `ending` (`.hang` never answers, `.close` hangs up).
    var sendsHead = true
    var ending = Ending.complete

    /// A whole JSON body with its `Content-Length`, written in `chunks` pieces (one when nil).
    static func json(
        _ body: [UInt8], status: HTTPResponseStatus = .ok, chunks: [[UInt8]]? = nil
    ) -> ScriptedResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: String(body.count))
        return ScriptedResponse(status: status, headers: headers, chunks: chunks ?? [body])
    }

    /// A streamed body (chunked transfer encoding) with the provider's stream content type.
    static func stream(_ provider: Provider, chunks: [[UInt8]], delay: TimeAmount? = nil) -> ScriptedResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: ResponseShapes.contentType(provider: provider, stream: true))
        headers.add(name: "Cache-Control", value: "no-cache")
        return ScriptedResponse(headers: headers, chunks: chunks, chunkDelay: delay)
    }

    /// Accepts the request and never answers.
    static let neverAnswer = ScriptedResponse(sendsHead: false, ending: .hang)
    /// Closes the connection instead of answering.
    static let hangUp = ScriptedResponse(sendsHead: false, ending: .close)
}

extension ScriptedResponse {
    /// An upstream of `provider` answering `texts`: streamed when the request asks for a
    /// stream (one write per frame, or cut by `split`; `delay` between writes), else whole.
    static func answering(
        _ provider: Provider, _ texts: [String], split: Split? = nil, delay: TimeAmount? = nil
    ) -> @Sendable (RecordedRequest) -> ScriptedResponse {
        let frames = provider.frames(texts)
        let chunks = split?.apply(to: Array(frames.joined())) ?? frames
        let body = provider.body(texts)
        return { request in
            request.wantsStream ? .stream(provider, chunks: chunks, delay: delay ?? split?.delay) : .json(body)
        }
    }
}
