/// Cuts a text that arrives in pieces into the units a classifier judges one by one: a
/// sentence, or `maxCharacters` Unicode scalars when no sentence ends sooner.
///
/// A sentence ends after a newline; after `。．！？｡` (Japanese ends a sentence there
/// whatever follows); and after `.!?` when whitespace follows, so that `3.14`, `e.g.` and
/// `a.b@example.com` stay whole. Closing quotes and brackets right after the end
/// (`。」`, `?"`) and repeated marks (`?!`, `...`) stay with their sentence.
///
/// The units depend only on the text, never on how it was split into pieces: a streamed
/// answer is judged exactly like the same answer whole.
public struct SentenceSplitter: Sendable {
    /// One unit of the text: where it lies and what it says.
    public struct Unit: Sendable, Hashable {
        /// In the text's UTF-8 bytes.
        public var byteSpan: Range<Int>
        /// In the text's Unicode scalars.
        public var characterSpan: Range<Int>
        public var text: String

        public init(byteSpan: Range<Int>, characterSpan: Range<Int>, text: String) {
            self.byteSpan = byteSpan
            self.characterSpan = characterSpan
            self.text = text
        }

        /// The unit without the whitespace around it: what a classifier is asked about,
        /// and what a redaction replaces (the space between sentences stays).
        public var trimmed: Unit {
            let scalars = text.unicodeScalars
            let leading = scalars.prefix { $0.properties.isWhitespace }
            let body = scalars.dropFirst(leading.count)
            let trailing = body.reversed().prefix { $0.properties.isWhitespace }
            let kept = body.dropLast(trailing.count)
            let before = leading.reduce(0) { $0 + UTF8.width($1) }
            let bytes = kept.reduce(0) { $0 + UTF8.width($1) }
            let start = (byteSpan.lowerBound + before, characterSpan.lowerBound + leading.count)
            return Unit(
                byteSpan: start.0..<(start.0 + bytes), characterSpan: start.1..<(start.1 + kept.count),
                text: String(String.UnicodeScalarView(kept)))
        }
    }

    /// What the last sentence mark asks of the next scalar.
    private enum Mark {
        /// `.!?`: the sentence ends if whitespace follows.
        case latin
        /// `。．！？｡`: the sentence ends whatever follows.
        case japanese
    }

    public let maxCharacters: Int
    private var text = ""
    private var start = (byte: 0, character: 0)
    private var end = (byte: 0, character: 0)
    private var mark: Mark?

    public init(maxCharacters: Int) {
        precondition(maxCharacters > 0)
        self.maxCharacters = maxCharacters
    }

    /// Where the unit being read starts, in UTF-8 bytes: everything before it is in a unit returned.
    public var openStart: Int { start.byte }

    /// Adds the next piece; returns the units that are complete now.
    public mutating func feed(_ piece: String) -> [Unit] {
        var units: [Unit] = []
        for scalar in piece.unicodeScalars {
            if let current = mark {
                if Self.closers.contains(scalar) || Self.latinMarks.contains(scalar) {
                    // The sentence goes on through its closing marks.
                } else if Self.japaneseMarks.contains(scalar) {
                    mark = .japanese
                } else {
                    mark = nil
                    // A newline ends the sentence below, with the newline in it.
                    if scalar != "\n" && (current == .japanese || scalar.properties.isWhitespace) {
                        units.append(cut())
                    }
                }
            } else if Self.japaneseMarks.contains(scalar) {
                mark = .japanese
            } else if Self.latinMarks.contains(scalar) {
                mark = .latin
            }
            append(scalar)
            if scalar == "\n" || end.character - start.character >= maxCharacters {
                mark = nil
                units.append(cut())
            }
        }
        return units
    }

    /// The text ended: the last unit, if any text is left.
    public mutating func finish() -> Unit? {
        mark = nil
        return end.byte > start.byte ? cut() : nil
    }

    private mutating func append(_ scalar: Unicode.Scalar) {
        text.unicodeScalars.append(scalar)
        end.byte += UTF8.width(scalar)
        end.character += 1
    }

    private mutating func cut() -> Unit {
        let unit = Unit(byteSpan: start.byte..<end.byte, characterSpan: start.character..<end.character, text: text)
        start = end
        text = ""
        return unit
    }

    private static let latinMarks: Set<Unicode.Scalar> = [".", "!", "?"]
    private static let japaneseMarks: Set<Unicode.Scalar> = ["。", "．", "！", "？", "｡"]
    private static let closers: Set<Unicode.Scalar> = [
        "\"", "'", ")", "]", "}", "”", "’", "」", "』", "）", "］", "｝", "】", "〕", "〉", "》", "｣",
    ]

    private static func isMark(_ scalar: Unicode.Scalar) -> Bool {
        latinMarks.contains(scalar) || japaneseMarks.contains(scalar)
    }
}
