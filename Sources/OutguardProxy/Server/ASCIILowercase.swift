extension UInt8 {
    /// This byte with an ASCII capital letter made small; any other byte as it is. Header
    /// names and media types are compared ignoring ASCII case, byte by byte, on every
    /// response.
    var asciiLowercased: UInt8 {
        self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z") ? self + 32 : self
    }
}
