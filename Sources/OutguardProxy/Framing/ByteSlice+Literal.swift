extension ArraySlice<UInt8> {
    /// Whether these bytes are exactly `literal`'s UTF-8. Through both buffers: the
    /// generic `elementsEqual` with a string's UTF-8 view walks it index by index, and
    /// the stream framing asks this of every line and every frame.
    func equals(_ literal: StaticString) -> Bool {
        literal.withUTF8Buffer { literal in
            count == literal.count && withUnsafeBufferPointer { $0.elementsEqual(literal) }
        }
    }
}
