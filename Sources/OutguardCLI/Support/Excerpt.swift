/// A text shortened to one line for a listing: at most `length` Unicode scalars around a
/// place of interest, with `…` where it was cut and line breaks shown as `\n`, quoted.
enum Excerpt {
    static func of(_ text: String, around offset: Int? = nil, length: Int = 72) -> String {
        let scalars = Array(text.unicodeScalars)
        // Keep a little before the place of interest, so the reader sees what led to it.
        let start = min(max(0, (offset ?? 0) - length / 3), max(0, scalars.count - length))
        let end = min(scalars.count, start + length)
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[start..<end])
        let shown = escapingLineBreaks(String(view))
        return "\"" + (start > 0 ? "…" : "") + shown + (end < scalars.count ? "…" : "") + "\""
    }

    private static func escapingLineBreaks(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "\n", "\r\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default: result.append(character)
            }
        }
        return result
    }
}
