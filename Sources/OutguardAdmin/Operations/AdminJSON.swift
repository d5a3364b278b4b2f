import Foundation
import Hummingbird

/// The admin API's JSON answers: pretty and key-sorted, since people read them with curl
/// as often as scripts do.
enum AdminJSON {
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(timestamp(date))
        }
        let body = (try? encoder.encode(value)) ?? Data(#"{"error":"cannot encode the answer"}"#.utf8)
        var headers: HTTPFields = [:]
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        return Response(
            status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body + [0x0A])))
    }

    /// UTC with seconds, like the log's `ts` without the milliseconds no one needs here.
    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
