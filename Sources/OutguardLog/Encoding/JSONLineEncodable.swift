/// A value written as one line of a JSONL file, the way `LogWriter` writes it.
public protocol JSONLineEncodable: Sendable {
    /// Writes the value as one JSON object (without the newline).
    func encode(into line: inout JSONLine)
}

extension JSONLineEncodable {
    /// The value's line, newline included: for exports and tests; the writer reuses one buffer.
    public func encodedLine() -> [UInt8] {
        var line = JSONLine()
        encode(into: &line)
        line.newline()
        return line.bytes
    }
}
