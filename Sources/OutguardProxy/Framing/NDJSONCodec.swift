/// Newline-delimited JSON (Ollama's streams): one frame per line, `\n` included.
struct NDJSONCodec: FrameCodec {
    private var buffer: [UInt8] = []

    mutating func decode(_ bytes: UnsafeRawBufferPointer, into frames: inout [StreamFrame]) {
        let searchFrom = buffer.count
        buffer.append(contentsOf: bytes)
        guard buffer[searchFrom...].contains(0x0A) else { return }
        var lineStart = 0
        for index in buffer.indices where buffer[index] == 0x0A {
            frames.append(frame(buffer[lineStart...index]))
            lineStart = index + 1
        }
        buffer.removeFirst(lineStart)
    }

    mutating func finish(into frames: inout [StreamFrame]) {
        if !buffer.isEmpty { frames.append(frame(buffer[...])) }
        buffer.removeAll()
    }

    private func frame(_ line: ArraySlice<UInt8>) -> StreamFrame {
        var content = line
        while let last = content.last, last == 0x0A || last == 0x0D || last == 0x20 { content = content.dropLast() }
        return StreamFrame(raw: Array(line), payload: content.isEmpty ? nil : Array(content), event: nil)
    }

    func encode(_ frame: StreamFrame, payload: [UInt8]) -> [UInt8] { payload + [0x0A] }

    func makeFrame(event: String?, payload: [UInt8]) -> [UInt8] { payload + [0x0A] }
}
