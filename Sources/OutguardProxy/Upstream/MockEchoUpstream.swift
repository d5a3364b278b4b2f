import NIOCore
import NIOHTTP1

/// `upstream: mock:echo`: answers every request in its API's shape with the last user
/// message, streamed when asked, without any network. The embedded default that lets
/// a newcomer try every rule offline.
struct MockEchoUpstream: Upstream {
    let eventLoop: any EventLoop

    func send(_ exchange: Exchange, to delegate: any UpstreamResponseDelegate) {
        let response = MockEchoResponse(exchange: exchange)
        // Answer on a later turn of the loop, as a real upstream would.
        eventLoop.assumeIsolated().execute {
            delegate.upstreamHead(response.head)
            for part in response.body { delegate.upstreamBody(ByteBuffer(bytes: part)) }
            delegate.upstreamEnd()
        }
    }
}

/// The answer `mock:echo` gives one request.
struct MockEchoResponse {
    var head: HTTPResponseHead
    var body: [[UInt8]]

    init(exchange: Exchange) {
        let bytes = Array(exchange.requestBody.readableBytesView)
        let path = HeaderRules.path(of: exchange.head.uri)
        var headers = HTTPHeaders()
        guard let provider = exchange.provider else {
            headers.add(name: "Content-Type", value: "application/json")
            let message = "mock:echo answers the LLM APIs only (e.g. POST /v1/chat/completions), not \(path)."
            head = HTTPResponseHead(version: .http1_1, status: .notFound, headers: headers)
            body = [OpenAIError.body(message: message, type: "invalid_request_error", code: "unknown_route")]
            return
        }
        let request: EchoRequest
        do {
            request = try EchoRequest.read(provider: provider, path: path, body: bytes)
        } catch {
            headers.add(name: "Content-Type", value: "application/json")
            head = HTTPResponseHead(version: .http1_1, status: .badRequest, headers: headers)
            body = [
                provider.adapter.errorBody(
                    status: 400, message: "The request body is not JSON: \(error)", code: "invalid_json")
            ]
            return
        }
        let id = exchange.requestID
        headers.add(name: "Content-Type", value: ResponseShapes.contentType(provider: provider, stream: request.stream))
        head = HTTPResponseHead(version: .http1_1, status: .ok, headers: headers)
        let texts = Array(repeating: request.text, count: request.choices)
        if request.stream {
            body = ResponseShapes.streamFrames(
                provider: provider, model: request.model, pieces: texts.map(EchoPieces.split), id: id,
                includeUsage: request.includeUsage)
        } else {
            body = [ResponseShapes.body(provider: provider, model: request.model, texts: texts, id: id)]
        }
    }
}
