/// Records encoded as JSONL, ready for the file: what a `LogWriter` queues.
///
/// The thread that makes a response's records encodes them into one of these, and the
/// queue copies its bytes (`QueuedLines`). The writer thread then only writes bytes;
/// records never cross threads (each one's strings were retained on one core and released
/// on the other); and the queue's lock is taken once a response, not once a record. A
/// response's records also stay together: a rotation never puts them in two files.
public struct LogLines<Record: JSONLineEncodable>: Sendable {
    private var line = JSONLine(capacity: 2048)
    /// How many records it holds.
    public private(set) var count = 0

    public init() {}

    public init(_ record: Record) {
        append(record)
    }

    /// Encodes `record` as the next line.
    public mutating func append(_ record: Record) {
        record.encode(into: &line)
        line.newline()
        count += 1
    }

    /// Encodes the next line with `body`, which writes one record's members: for records
    /// encoded straight from what they describe, without a `Record` value in between.
    public mutating func appendLine(_ body: (inout JSONLine) -> Void) {
        line.object(body)
        line.newline()
        count += 1
    }

    /// The lines, each ending in a newline.
    var bytes: [UInt8] { line.bytes }
}
