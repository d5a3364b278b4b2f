/// A YAML scalar: its text after YAML has read it, how it was written, and where.
public struct YAMLScalar: Sendable, Hashable {
    /// How the scalar was written, which decides how its characters map to columns.
    public enum Style: Sendable, Hashable {
        case plain, singleQuoted, doubleQuoted, literal, folded
    }

    public var value: String
    public var style: Style
    /// Where the node starts: its first character, or its opening quote or `|`/`>`.
    public var location: SourceLocation
    /// Where the first character of the value was written: after an opening quote; for a
    /// block scalar, the first content line at the block's indentation.
    public var contentStart: SourceLocation

    public init(value: String, style: Style, location: SourceLocation, contentStart: SourceLocation) {
        self.value = value
        self.style = style
        self.location = location
        self.contentStart = contentStart
    }

    /// Whether YAML reads this scalar as "no value" (`key:` with nothing, `~`, `null`).
    public var isNull: Bool {
        style == .plain && ["", "~", "null", "Null", "NULL"].contains(value)
    }

    /// Where the character at `offset` (counted in Unicode scalars of `value`) was written.
    ///
    /// Exact for one-line plain and single-quoted scalars and for literal blocks, whose
    /// lines are the value's lines; best effort for double-quoted scalars (it assumes the
    /// usual escapes) and for anything YAML folded across lines.
    public func location(ofCharacterOffset offset: Int) -> SourceLocation {
        var location = contentStart
        for character in value.unicodeScalars.prefix(max(0, offset)) {
            if character == "\n" && (style == .literal || style == .folded) {
                location.line += 1
                location.column = contentStart.column
            } else {
                location.column += sourceWidth(of: character)
            }
        }
        return location
    }

    /// How many columns one character of the value takes in the file.
    private func sourceWidth(of character: Unicode.Scalar) -> Int {
        switch style {
        case .singleQuoted:
            // `''` is how a single-quoted scalar writes one `'`.
            return character == "'" ? 2 : 1
        case .doubleQuoted:
            if character == "\"" || character == "\\" { return 2 }
            if character.value < 0x20 || character.value == 0x7F {
                // `\n`, `\t` and friends take two columns; the rest need `\xHH`.
                return "\n\t\r\0\u{07}\u{08}\u{0B}\u{0C}\u{1B}".unicodeScalars.contains(character) ? 2 : 4
            }
            return 1
        case .plain, .literal, .folded:
            return 1
        }
    }
}
