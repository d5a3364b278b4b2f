import OutguardBytes

/// Replacements of whole values inside a `JSONDocument`, applied in one copy.
struct JSONEdits: Sendable {
    private var replacements: [(range: Range<Int>, json: [UInt8])] = []

    var isEmpty: Bool { replacements.isEmpty }

    /// Replaces `node` with `json` (already encoded JSON text). A later replacement of
    /// the same or an overlapping value wins.
    mutating func replace(_ node: JSONNode, withJSON json: [UInt8]) {
        replace(node.range, withJSON: json)
    }

    /// Replaces the value at `range` of the document's text.
    mutating func replace(_ range: Range<Int>, withJSON json: [UInt8]) {
        replacements.removeAll { $0.range.overlaps(range) }
        replacements.append((range, json))
    }

    mutating func replace(_ node: JSONNode, withString text: String) {
        replace(node, withJSON: JSONString.encoded(text))
    }

    func apply(to bytes: [UInt8]) -> [UInt8] {
        replacements.isEmpty ? bytes : apply(to: bytes[...])
    }

    /// `bytes` is the document's text; its ranges count from the slice's start.
    func apply(to bytes: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 64)
        bytes.withUnsafeBufferPointer { bytes in
            var cursor = 0
            for (range, json) in replacements.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
                output.append(contentsOf: bytes[cursor..<range.lowerBound])
                output.append(contentsOf: json)
                cursor = range.upperBound
            }
            output.append(contentsOf: bytes[cursor...])
        }
        return output
    }
}

/// Writing JSON strings and small objects.
enum JSONString {
    /// `text` as a JSON string literal: quotes, backslashes and control characters
    /// escaped, everything else (non-ASCII included) kept as UTF-8.
    static func encoded(_ text: String) -> [UInt8] {
        var text = text
        return text.withUTF8(encoded(utf8:))
    }

    /// UTF-8 text as a JSON string literal, as `encoded(_:)` writes a `String`'s.
    static func encoded(utf8 text: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var output: [UInt8] = [UInt8(ascii: "\"")]
        output.reserveCapacity(text.count + 2)
        JSONEscaping.append(text, to: &output)
        output.append(UInt8(ascii: "\""))
        return output
    }

    static func append(_ text: String, to output: inout [UInt8]) {
        var text = text
        text.withUTF8 { JSONEscaping.append($0, to: &output) }
    }
}
