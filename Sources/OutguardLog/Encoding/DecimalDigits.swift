/// Whole numbers written as ASCII digits straight into a byte buffer, without the `String`
/// that `description` would make.
enum DecimalDigits {
    /// `value` with leading zeros up to `width` digits (`07`, `007`).
    static func append(_ value: Int, to bytes: inout [UInt8], width: Int = 1) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        // Digits come out last first, from the magnitude (so `Int.min` has one too); they
        // are turned around in place once all are there.
        let start = bytes.count
        var rest = value.magnitude
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        while bytes.count - start < width { bytes.append(UInt8(ascii: "0")) }
        // Swapped one by one: reversing `bytes[start...]` would copy the slice.
        var low = start
        var high = bytes.count - 1
        while low < high {
            bytes.swapAt(low, high)
            low += 1
            high -= 1
        }
    }
}
