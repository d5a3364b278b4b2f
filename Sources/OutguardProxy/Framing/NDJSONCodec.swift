/// Newline-delimited JSON (Ollama's streams): one frame per line, `\n` included.
struct NDJSONCodec: FrameCodec {
    private var buffer = FrameBuffer()

    mutating func decode(_ bytes: UnsafeRawBufferPointer, each frame: (consuming StreamFrame) -> Void) {
        // Only the new bytes can hold a newline the last read did not.
        let searched = buffer.bytes.count
        let searchFrom = searched - buffer.append(bytes)
        let lines = buffer.bytes
        for index in lines[searchFrom...].indices where lines[index] == 0x0A {
            frame(Self.frame(buffer.cutFrame(upTo: index + 1)))
        }
    }

    mutating func finish(each frame: (consuming StreamFrame) -> Void) {
        if let rest = buffer.takeRest() { frame(Self.frame(rest)) }
    }

    private static func frame(_ line: ArraySlice<UInt8>) -> StreamFrame {
        var content = line
        while let last = content.last, last == 0x0A || last == 0x0D || last == 0x20 { content = content.dropLast() }
        return StreamFrame(raw: line, payload: content.isEmpty ? nil : content)
    }

    func encode(_ frame: StreamFrame, payload: [UInt8]) -> [UInt8] { payload + [0x0A] }

    func makeFrame(event: String?, payload: [UInt8]) -> [UInt8] { payload + [0x0A] }
}
