import OutguardEngine
import PropertyBased
import Testing

@testable import OutguardProxy

/// Whatever an upstream sends, the filters answer and never crash: mangled copies of
/// real bodies and streams (bytes flipped, cut, repeated) through every adapter, in
/// both fail modes.
@Suite struct HostileUpstreamTests {
    /// Bytes that change what JSON and SSE mean.
    private static let structural = Array("\"\\{}[]:,\n\r".utf8)

    private static func mangle(_ bytes: [UInt8], _ edits: [Int]) -> [UInt8] {
        var bytes = bytes
        for edit in edits where !bytes.isEmpty {
            let position = edit % bytes.count
            switch edit % 4 {
            case 0: bytes[position] = UInt8(truncatingIfNeeded: edit >> 3)
            case 1: bytes.remove(at: position)
            case 2: bytes.insert(contentsOf: bytes[position..<min(bytes.count, position + 7)], at: position)
            default: bytes.insert(Self.structural[edit % Self.structural.count], at: position)
            }
        }
        return bytes
    }

    @Test(arguments: Provider.allCases)
    func mangledBodiesAndStreamsNeverCrash(_ provider: Provider) async {
        let texts = ["Write to taro@example.co.jp", "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC"]
        let body = ResponseShapes.body(provider: provider, model: "m", texts: texts, id: "x", created: 1)
        let stream = ResponseShapes.streamFrames(
            provider: provider, model: "m", pieces: texts.map(EchoPieces.split), id: "x", includeUsage: true, created: 1
        ).flatMap { $0 }
        let policy = StreamBodyFilterTests.policy
        await propertyCheck(count: 60, input: Gen.int(in: 0...1_000_000).array(of: 1...12), Gen.bool) {
            edits, failClosed in
            let filter = BodyFilter(
                adapter: provider.adapter, policy: policy, options: FilterOptions(scanToolArguments: true),
                failClosed: failClosed, refuseWithError: false)
            _ = filter.filter(Self.mangle(body, edits))
            let streamed = StreamBodyFilter(
                adapter: provider.adapter, framing: provider.streamFraming, policy: policy,
                options: FilterOptions(scanToolArguments: true), failClosed: failClosed)
            let mangled = Self.mangle(stream, edits)
            let cut = mangled.count / 2
            _ = streamed.process(mangled[..<cut])
            _ = streamed.process(mangled[cut...])
            _ = streamed.finish()
        }
    }
}
