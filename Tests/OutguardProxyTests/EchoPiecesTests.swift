import Testing

@testable import OutguardProxy

/// Streaming pieces look like a model's deltas and always join back to the answer.
@Suite struct EchoPiecesTests {
    @Test func wordsKeepTheirTrailingSpaces() {
        #expect(EchoPieces.split("Hello, world!  How are\nyou?") == ["Hello, ", "world!  ", "How ", "are\n", "you?"])
        #expect(EchoPieces.split("  leading") == ["  leading"])
        #expect(EchoPieces.split("") == [])
        #expect(EchoPieces.split(" ") == [" "])
    }

    @Test func cjkComesAFewCharactersAtATime() {
        #expect(EchoPieces.split("連絡先は taro@example.jp です。") == ["連絡先", "は ", "taro@example.jp ", "です。"])
        #expect(EchoPieces.split("東京Tower") == ["東京", "Tower"])
        #expect(EchoPieces.split("한국어텍스트") == ["한국어", "텍스트"])
    }

    @Test(arguments: [
        "", "a", "Hello, world! ", "  two  spaces  ", "日本語の文章です。次の文。", "mixed 日本語 and English\n\nparagraphs",
        "emoji 👍🏽 and e\u{301}", "\t\n",
    ])
    func piecesJoinBackToTheText(text: String) {
        let pieces = EchoPieces.split(text)
        #expect(pieces.joined() == text)
        #expect(pieces.allSatisfy { !$0.isEmpty })
    }
}
