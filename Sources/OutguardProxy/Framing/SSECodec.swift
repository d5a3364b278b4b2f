import OutguardBytes

/// Server-sent events, read incrementally the way the WHATWG EventSource parser reads
/// them: lines end in `\n`, `\r\n` or `\r` (also when split across reads), `:` starts a
/// comment, several `data:` lines join with `\n`, a blank line ends an event.
struct SSECodec: FrameCodec {
    private var buffer = FrameBuffer()
    /// Where scanning for the next line's end resumes in `buffer`.
    private var scan = 0
    /// The current event's data: a slice of the buffer, or a copy once several
    /// `data:` lines are joined.
    private var data: ArraySlice<UInt8>?

    mutating func decode(_ bytes: UnsafeRawBufferPointer, each frame: (consuming StreamFrame) -> Void) {
        scan -= buffer.append(bytes)
        readLines(atEnd: false, each: frame)
    }

    mutating func finish(each frame: (consuming StreamFrame) -> Void) {
        readLines(atEnd: true, each: frame)
        if let rest = buffer.takeRest() {
            // An event the upstream never ended: passed on as it came.
            frame(StreamFrame(raw: rest, payload: data))
        }
        (scan, data) = (0, nil)
    }

    private mutating func readLines(atEnd: Bool, each frame: (consuming StreamFrame) -> Void) {
        // Through a buffer pointer: this loop sees every byte of every stream, and an
        // array's bounds check per byte costs as much as the loop itself. Only blank
        // lines (an event's end) and `data` lines are kept: every other field (`event:`,
        // `id:`, comments) stays in the frame's raw bytes, and nothing here reads it.
        let bytes = buffer.bytes
        let count = bytes.count
        var lineStart = scan
        var index = scan
        // A data line's value start, end and next line; a blank line's value is nil.
        var lines: [(value: Int?, end: Int, next: Int)] = []
        bytes.withUnsafeBufferPointer { bytes in
            while index < count {
                index = ByteSearch.skip(in: bytes, from: index) {
                    ByteSearch.equal($0, 0x0A) | ByteSearch.equal($0, 0x0D)
                }
                guard index < count else { break }
                let byte = bytes[index]
                guard byte == 0x0A || byte == 0x0D else {
                    index += 1
                    continue
                }
                var next = index + 1
                if byte == 0x0D {
                    // `\r` at the end of what arrived: a `\n` may follow in the next read.
                    if next == count && !atEnd { break }
                    if next < count && bytes[next] == 0x0A { next += 1 }
                }
                if lineStart == index {
                    lines.append((value: nil, end: index, next: next))
                } else if let value = Self.dataValue(in: bytes, from: lineStart, to: index) {
                    lines.append((value: value, end: index, next: next))
                }
                index = next
                lineStart = next
            }
        }
        for line in lines {
            if let start = line.value {
                // A second line copies the first out of the buffer (copy on write), and the
                // lines after it are appended to that copy.
                let value = bytes[start..<line.end]
                if data == nil { data = value } else { data!.append(0x0A); data!.append(contentsOf: value) }
            } else {
                // A blank line ends the event (or, alone, is a frame without data).
                frame(StreamFrame(raw: buffer.cutFrame(upTo: line.next), payload: data))
                data = nil
            }
        }
        scan = lineStart
    }

    /// Where the value of a `data` field starts, when `start..<end` is one (`data`, or
    /// `data:` and an optional space); nil for any other line.
    private static func dataValue(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int? {
        guard end - start >= 4, bytes[start] == UInt8(ascii: "d"), bytes[start + 1] == UInt8(ascii: "a"),
            bytes[start + 2] == UInt8(ascii: "t"), bytes[start + 3] == UInt8(ascii: "a")
        else { return nil }
        var value = start + 4
        if value == end { return value }
        guard bytes[value] == UInt8(ascii: ":") else { return nil }
        value += 1
        if value < end && bytes[value] == 0x20 { value += 1 }
        return value
    }

    func encode(_ frame: StreamFrame, payload: [UInt8]) -> [UInt8] {
        // Keep every line but the data lines; the new payload takes the first data line's place.
        var output: [UInt8] = []
        output.reserveCapacity(frame.raw.count + payload.count)
        var wroteData = false
        let raw = frame.raw
        var lineStart = raw.startIndex
        var index = raw.startIndex
        while index < raw.endIndex {
            guard raw[index] == 0x0A || raw[index] == 0x0D else {
                index += 1
                continue
            }
            var next = index + 1
            if raw[index] == 0x0D && next < raw.endIndex && raw[next] == 0x0A { next += 1 }
            let line = raw[lineStart..<index]
            if line.starts(with: "data".utf8) && (line.count == 4 || line[lineStart + 4] == UInt8(ascii: ":")) {
                if !wroteData {
                    output += Array("data: ".utf8) + payload + [0x0A]
                    wroteData = true
                }
            } else {
                output.append(contentsOf: raw[lineStart..<next])
            }
            index = next
            lineStart = next
        }
        if !wroteData { output += Array("data: ".utf8) + payload + [0x0A, 0x0A] }
        return output
    }

    func makeFrame(event: String?, payload: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        if let event { output += Array("event: \(event)\n".utf8) }
        output += Array("data: ".utf8) + payload + [0x0A, 0x0A]
        return output
    }
}
