/// The `masked` form of a text: each run of letters and digits (any script) keeps its first
/// character and shows the rest as one `*` each; everything between runs stays. A last run
/// of one or two letters after a `.` is kept too, as it is a domain's suffix (`.jp`), which
/// tells a reviewer what kind of address fired and nothing about whose.
///
/// `taro@example.jp` → `t***@e******.jp`, `4111 1111` → `4*** 1***`, `山田太郎` → `山***`.
///
/// It works on the UTF-8 bytes, ASCII by a table and other characters by their Unicode
/// scalar, not on `Character`s: every finding of every response is masked on the way to
/// the log, on the event loop, and grapheme breaking and `Character.isLetter` made masking
/// the largest part of logging a response.
enum MaskedText {
    /// The masked form of `utf8`, which must be valid UTF-8 (a `String`'s bytes).
    static func mask(utf8: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        // The kept suffix and what follows it are copied as they are: it starts after a
        // `.`, so no run is open there, and its first letter would be kept anyway.
        let tail = domainSuffixStart(utf8) ?? utf8.count
        // Never longer than the text (a masked character becomes one byte), so it is
        // written into storage of that size: appending byte by byte checked the array's
        // uniqueness and capacity each time, most of the cost of masking an address.
        return [UInt8](unsafeUninitializedCapacity: utf8.count) { masked, written in
            var inRun = false
            var position = 0
            while position < tail {
                let (scalar, length) = scalar(at: position, in: utf8)
                let isWord = isWordScalar(scalar)
                if isWord, inRun {
                    masked[written] = UInt8(ascii: "*")
                    written += 1
                } else {
                    for offset in 0..<length { masked[written + offset] = utf8[position + offset] }
                    written += length
                }
                inRun = isWord
                position += length
            }
            for position in tail..<utf8.count {
                masked[written] = utf8[position]
                written += 1
            }
        }
    }

    /// Where the last run starts, when it is one or two letters right after a `.`.
    private static func domainSuffixStart(_ utf8: UnsafeBufferPointer<UInt8>) -> Int? {
        var end = utf8.count
        while end > 0 {
            let (scalar, scalarStart) = scalar(before: end, in: utf8)
            guard !isWordScalar(scalar) else { break }
            end = scalarStart
        }
        var start = end
        var letters = 0
        while start > 0, letters <= 2 {
            let (scalar, scalarStart) = scalar(before: start, in: utf8)
            guard isWordScalar(scalar) else { break }
            guard isLetter(scalar) else { return nil }
            start = scalarStart
            letters += 1
        }
        guard (1...2).contains(letters), start > 0, utf8[start - 1] == UInt8(ascii: ".") else { return nil }
        return start
    }

    /// The scalar that starts at byte `position`, and its length in bytes.
    private static func scalar(at position: Int, in utf8: UnsafeBufferPointer<UInt8>) -> (Unicode.Scalar, Int) {
        let lead = utf8[position]
        if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        var value = UInt32(lead) & (0x7F >> UInt32(length))
        for offset in 1..<length { value = value << 6 | UInt32(utf8[position + offset] & 0x3F) }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }

    /// The scalar that ends at byte `end`, and where it starts.
    private static func scalar(
        before end: Int, in utf8: UnsafeBufferPointer<UInt8>
    ) -> (scalar: Unicode.Scalar, start: Int) {
        var start = end - 1
        while start > 0, utf8[start] & 0xC0 == 0x80 { start -= 1 }
        return (scalar(at: start, in: utf8).0, start)
    }

    /// ASCII by its range: looking up Unicode properties was the larger part of masking an
    /// e-mail address, whose suffix is checked letter by letter.
    @inline(__always)
    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.isASCII else { return isWordOutsideASCII(scalar, letterOnly: true) }
        return (scalar.value | 0x20) &- 0x61 < 26  // a-z, either case
    }

    @inline(__always)
    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.isASCII else { return isWordOutsideASCII(scalar, letterOnly: false) }
        return scalar.value &- 0x30 < 10 || isLetter(scalar)
    }

    /// Unicode properties, kept out of line: inlined, their setup (type metadata for the
    /// properties) ran on every ASCII character too, and made a check cost about a hundred
    /// instructions where the ASCII test takes a few.
    @inline(never)
    private static func isWordOutsideASCII(_ scalar: Unicode.Scalar, letterOnly: Bool) -> Bool {
        scalar.properties.isAlphabetic || (!letterOnly && scalar.properties.numericType != nil)
    }
}
