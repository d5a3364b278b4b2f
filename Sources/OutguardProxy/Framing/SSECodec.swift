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
    private var event: String?

    mutating func decode(_ bytes: UnsafeRawBufferPointer, into frames: inout [StreamFrame]) {
        scan -= buffer.append(bytes)
        readLines(into: &frames, atEnd: false)
    }

    mutating func finish(into frames: inout [StreamFrame]) {
        readLines(into: &frames, atEnd: true)
        if let rest = buffer.takeRest() {
            // An event the upstream never ended: passed on as it came.
            frames.append(StreamFrame(raw: rest, payload: data, event: event))
        }
        (scan, data, event) = (0, nil, nil)
    }

    private mutating func readLines(into frames: inout [StreamFrame], atEnd: Bool) {
        // Through a buffer pointer: this loop sees every byte of every stream, and an
        // array's bounds check per byte costs as much as the loop itself.
        let bytes = buffer.bytes
        let count = bytes.count
        var lineStart = scan
        var index = scan
        var lines: [(start: Int, end: Int, next: Int)] = []
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
                lines.append((lineStart, index, next))
                index = next
                lineStart = next
            }
        }
        for line in lines {
            if line.start == line.end {
                // A blank line ends the event (or, alone, is a frame without data).
                frames.append(StreamFrame(raw: buffer.cutFrame(upTo: line.next), payload: data, event: event))
                (data, event) = (nil, nil)
            } else {
                readField(bytes[line.start..<line.end])
            }
        }
        scan = lineStart
    }

    private mutating func readField(_ line: ArraySlice<UInt8>) {
        if line.first == UInt8(ascii: ":") { return }
        let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.endIndex
        let name = line[line.startIndex..<colon]
        var value = line[colon...].dropFirst()
        if value.first == 0x20 { value = value.dropFirst() }
        if name.equals("data") {
            // A second line copies the first out of the buffer (copy on write), and the
            // lines after it are appended to that copy.
            if data == nil { data = value } else { data!.append(0x0A); data!.append(contentsOf: value) }
        } else if name.equals("event") {
            event = String(decoding: value, as: UTF8.self)
        }
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
