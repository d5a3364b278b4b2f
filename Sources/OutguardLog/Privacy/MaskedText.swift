/// The `masked` form of a text: each run of letters and digits (any script) keeps its first
/// character and shows the rest as one `*` each; everything between runs stays. A last run
/// of one or two letters after a `.` is kept too, as it is a domain's suffix (`.jp`), which
/// tells a reviewer what kind of address fired and nothing about whose.
///
/// `taro@example.jp` → `t***@e******.jp`, `4111 1111` → `4*** 1***`, `山田太郎` → `山***`.
///
/// It works on Unicode scalars with an ASCII shortcut, not on `Character`s: every finding
/// of every response is masked on the way to the log, and grapheme breaking and
/// `Character.isLetter` made masking the largest part of logging a response.
enum MaskedText {
    static func mask(_ text: some StringProtocol) -> String {
        let scalars = Array(text.unicodeScalars)
        let kept = domainSuffix(of: scalars)
        var masked = String.UnicodeScalarView()
        masked.reserveCapacity(scalars.count)
        var inRun = false
        for (index, scalar) in scalars.enumerated() {
            let isWord = isWordScalar(scalar)
            masked.append(isWord && inRun && !kept.contains(index) ? "*" : scalar)
            inRun = isWord
        }
        return String(masked)
    }

    /// Where the last run is, when it is one or two letters right after a `.`.
    private static func domainSuffix(of scalars: [Unicode.Scalar]) -> Range<Int> {
        var end = scalars.count
        while end > 0, !isWordScalar(scalars[end - 1]) { end -= 1 }
        var start = end
        while start > 0, isWordScalar(scalars[start - 1]) { start -= 1 }
        guard start > 0, scalars[start - 1] == ".", (1...2).contains(end - start),
            scalars[start..<end].allSatisfy(\.properties.isAlphabetic)
        else { return 0..<0 }
        return start..<end
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let value = scalar.value
            return (0x30...0x39).contains(value) || (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value)
        }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }
}
