/// The file's text as Unicode scalars, indexed like libyaml's marks.
///
/// libyaml says where a node starts — at its anchor or tag, at an opening quote, at the
/// `|` of a block — but not where its characters are; this finds that, so an error can
/// point inside a value (at the bad spot of a pattern).
struct SourceText {
    private let scalars: [Unicode.Scalar]

    init(bytes: [UInt8]) {
        var scalars = Array(String(decoding: bytes, as: UTF8.self).unicodeScalars)
        // libyaml skips a byte order mark without counting it.
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        self.scalars = scalars
    }

    /// Where a node's own token starts: past any `&anchor`, `!tag`, spaces and comments
    /// between them and the value, but never past `end`.
    func tokenStart(from start: YAMLMark, end: YAMLMark) -> YAMLMark {
        var mark = start
        let limit = min(end.index, scalars.count)
        while mark.index < limit, scalars[mark.index] == "&" || scalars[mark.index] == "!" {
            while mark.index < limit, !Self.isBlank(scalars[mark.index]) { advance(&mark) }
            while mark.index < limit {
                let character = scalars[mark.index]
                if Self.isBlank(character) {
                    advance(&mark)
                } else if character == "#" {
                    while mark.index < limit, !Self.isBreak(scalars[mark.index]) { advance(&mark) }
                } else {
                    break
                }
            }
        }
        return mark
    }

    /// Where the first character of the value was written, for a scalar whose token starts
    /// at `token`.
    func contentStart(style: YAMLScalar.Style, value: String, token: YAMLMark) -> YAMLMark {
        switch style {
        case .plain:
            return token
        case .singleQuoted, .doubleQuoted:
            var mark = token
            if mark.index < scalars.count { advance(&mark) }
            return mark
        case .literal, .folded:
            return blockContentStart(value: value, header: token)
        }
    }

    /// A block's content starts on the line after its header, at the block's indentation.
    /// The indentation is what the first non-blank source line has more than the first
    /// non-blank line of the value (the value keeps spaces beyond the indentation).
    private func blockContentStart(value: String, header: YAMLMark) -> YAMLMark {
        var mark = header
        while mark.index < scalars.count, !Self.isBreak(scalars[mark.index]) { advance(&mark) }
        guard mark.index < scalars.count else { return header }
        advance(&mark)
        let firstLine = mark

        let valueLines = value.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        guard let valueLine = valueLines.first(where: { $0.contains { $0 != " " } }) else { return firstLine }
        let valueIndent = valueLine.prefix { $0 == " " }.count

        var lineStart = mark.index
        var index = mark.index
        while index < scalars.count {
            let character = scalars[index]
            if character == " " {
                index += 1
            } else if Self.isBreak(character) {
                index += 1
                lineStart = index
            } else {
                break
            }
        }
        let indent = max(0, index - lineStart - valueIndent)
        return YAMLMark(index: firstLine.index + indent, line: firstLine.line, column: indent)
    }

    private func advance(_ mark: inout YAMLMark) {
        let character = scalars[mark.index]
        mark.index += 1
        if Self.isBreak(character) {
            // A CR LF pair is one line break, as libyaml counts it.
            if character == "\r", mark.index < scalars.count, scalars[mark.index] == "\n" { mark.index += 1 }
            mark.line += 1
            mark.column = 0
        } else {
            mark.column += 1
        }
    }

    private static func isBlank(_ character: Unicode.Scalar) -> Bool {
        character == " " || character == "\t" || isBreak(character)
    }

    /// The line breaks libyaml counts: LF, CR, NEL, LS and PS.
    private static func isBreak(_ character: Unicode.Scalar) -> Bool {
        switch character {
        case "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}": true
        default: false
        }
    }
}
