/// Splits an answer into streaming pieces the way a model emits them: a word with the
/// spaces after it, and CJK text (which has no spaces) a few characters at a time.
/// Joining the pieces gives the text back.
enum EchoPieces {
    /// Characters per piece in CJK runs; models' tokens cover one to a few of them.
    static let cjkRun = 3

    static func split(_ text: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        // What `current` holds besides leading spaces: its word (or CJK run) and
        // whether spaces have followed it.
        var wordLength = 0
        var wordIsCJK = false
        var spaceAfterWord = false

        for character in text {
            if character.isWhitespace {
                // Spaces stay with the word before them, so every later piece starts
                // with a word; spaces before the first word start the first piece.
                current.append(character)
                spaceAfterWord = wordLength > 0
                continue
            }
            let isCJK = Self.isCJK(character)
            let wordEnds = spaceAfterWord || (wordLength > 0 && isCJK != wordIsCJK) || (isCJK && wordLength == cjkRun)
            if wordEnds {
                pieces.append(current)
                current = ""
                wordLength = 0
                spaceAfterWord = false
            }
            current.append(character)
            wordIsCJK = isCJK
            wordLength += 1
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    /// Scripts written without spaces between words: CJK punctuation, kana, Han,
    /// Hangul, and full-width forms.
    private static func isCJK(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first?.value else { return false }
        switch scalar {
        case 0x3000...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7AF, 0xF900...0xFAFF,
            0xFF00...0xFFEF, 0x20000...0x3FFFF:
            return true
        default:
            return false
        }
    }
}
