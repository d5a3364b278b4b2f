import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import OutguardProxy

@Suite struct RequestSequencerTests {
    /// Counts the reads that get past the sequencer to the socket.
    final class ReadCounter: ChannelOutboundHandler {
        typealias OutboundIn = Any
        var reads = 0
        func read(context: ChannelHandlerContext) {
            reads += 1
            context.read()
        }
    }

    /// What the proxy would be handed: request parts as URIs and part names, and errors.
    final class Received: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        var events: [String] = []
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head): events.append("head \(head.uri)")
            case .body(let body): events.append("body \(body.readableBytes)")
            case .end: events.append("end")
            }
        }
        func errorCaught(context: ChannelHandlerContext, error: any Error) { events.append("error") }
    }

    struct Connection {
        let channel = EmbeddedChannel()
        let counter = ReadCounter()
        let received = Received()

        init() throws {
            try channel.pipeline.syncOperations.addHandlers([counter, RequestSequencer(), received])
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 8080)).wait()
            #expect(channel.isActive)
        }

        func request(_ uri: String, bodyBytes: Int = 0) throws {
            let head = HTTPRequestHead(version: .http1_1, method: .POST, uri: uri)
            try channel.writeInbound(HTTPServerRequestPart.head(head))
            if bodyBytes > 0 {
                try channel.writeInbound(HTTPServerRequestPart.body(ByteBuffer(repeating: 1, count: bodyBytes)))
            }
            try channel.writeInbound(HTTPServerRequestPart.end(nil))
        }

        func respond() throws {
            try channel.writeOutbound(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok)))
            try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        }

        /// The heads that left, with their `Connection` header.
        func sentHeads() throws -> [String] {
            var heads: [String] = []
            while let part = try channel.readOutbound(as: HTTPServerResponsePart.self) {
                if case .head(let head) = part { heads.append(head.headers.first(name: "connection") ?? "-") }
            }
            return heads
        }
    }

    /// The connection keeps reading while a response is due: no read is held back for
    /// a client that waits for its answer, as every LLM client does.
    @Test func readsGoOnWhileAnswering() throws {
        let connection = try Connection()
        try connection.request("/a", bodyBytes: 5)
        connection.channel.read()
        #expect(connection.counter.reads == 1)
        try connection.respond()
        connection.channel.read()
        #expect(connection.counter.reads == 2)
        #expect(connection.received.events == ["head /a", "body 5", "end"])
    }

    /// Requests sent before the previous answer ended wait, in order, and reading stops
    /// until they have been passed on.
    @Test func pipelinedRequestsArePassedOnOneAtATime() throws {
        let connection = try Connection()
        try connection.request("/a")
        try connection.request("/b", bodyBytes: 3)
        try connection.request("/c")
        #expect(connection.received.events == ["head /a", "end"])
        connection.channel.read()
        #expect(connection.counter.reads == 0)

        try connection.respond()
        #expect(connection.received.events == ["head /a", "end", "head /b", "body 3", "end"])
        #expect(connection.counter.reads == 0)
        try connection.respond()
        #expect(connection.received.events.suffix(2) == ["head /c", "end"])
        #expect(connection.counter.reads == 1)
        #expect(try connection.sentHeads() == ["-", "-"])
    }

    /// An error the decoder raises while a response is due waits for that response's end,
    /// so that its answer cannot cut into the response.
    @Test func badHTTPWaitsForTheAnswerUnderWay() throws {
        let connection = try Connection()
        try connection.request("/a")
        connection.channel.pipeline.fireErrorCaught(HTTPParserError.invalidMethod)
        #expect(connection.received.events == ["head /a", "end"])
        try connection.respond()
        #expect(connection.received.events == ["head /a", "end", "error"])
        // The bad request's own answer is due now: what follows waits for it.
        try connection.request("/b")
        #expect(connection.received.events.count == 3)
    }

    /// Any other error (the connection failing) concerns the response under way: it is
    /// passed on at once.
    @Test func aFailingConnectionIsReportedAtOnce() throws {
        struct Reset: Error {}
        let connection = try Connection()
        try connection.request("/a")
        connection.channel.pipeline.fireErrorCaught(Reset())
        #expect(connection.received.events == ["head /a", "end", "error"])
    }

    /// On shutdown, an idle connection closes at once.
    @Test func anIdleConnectionClosesOnShutdown() throws {
        let connection = try Connection()
        try connection.request("/a")
        try connection.respond()
        connection.channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        connection.channel.embeddedEventLoop.run()
        #expect(!connection.channel.isActive)
    }

    /// On shutdown, the response under way finishes, says `Connection: close`, and the
    /// connection closes after it; requests sent after it are not served.
    @Test func aConnectionAnsweringOnShutdownClosesAfterItsAnswer() throws {
        let connection = try Connection()
        try connection.request("/a")
        try connection.request("/b")
        connection.channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(connection.channel.isActive)
        try connection.respond()
        connection.channel.embeddedEventLoop.run()
        #expect(!connection.channel.isActive)
        #expect(connection.received.events == ["head /a", "end"])
        #expect(try connection.sentHeads() == ["close"])
    }
}
