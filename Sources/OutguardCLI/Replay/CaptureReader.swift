import Foundation
import OutguardLog

/// The responses in capture files, read as the daemon's capture writer wrote them, with
/// every line that is not one. A bad line (a line cut short by a crash, a file of another
/// kind) is skipped and reported: the rest of the traffic is still worth replaying.
struct CaptureReader {
    private(set) var responses: [CapturedResponse] = []
    private(set) var problems: [LineProblem] = []

    static let lineFix =
        "the line is skipped; a capture file holds one response a line, as the daemon's "
        + "`capture:` setting writes it (is this file a violation log instead?)"

    init(files: [String]) {
        for file in files {
            let read = JSONLines<CapturedResponse>(
                path: file, decoder: Self.decoder(), severity: .warning, fix: Self.lineFix)
            responses += read.lines.map(\.value)
            problems += read.problems
        }
    }

    /// Times are ISO 8601 in UTC with milliseconds (`2026-11-29T07:00:00.123Z`); whole
    /// seconds are accepted too, since other tools that write such files may drop them.
    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            if let date = LogTimestamp.date(from: text) { return date }
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath,
                    debugDescription: "not an ISO 8601 time like 2026-11-29T07:00:00.123Z"))
        }
        return decoder
    }
}
