import PropertyBased
import Testing

@testable import OutguardEngine

@Suite struct SentenceSplitterTests {
    /// The units' texts for `text` fed whole.
    private func units(_ text: String, max: Int = 400) -> [String] {
        units(of: [text], max: max).map(\.text)
    }

    private func units(of pieces: [String], max: Int = 400) -> [SentenceSplitter.Unit] {
        var splitter = SentenceSplitter(maxCharacters: max)
        var units = pieces.flatMap { splitter.feed($0) }
        if let last = splitter.finish() { units.append(last) }
        return units
    }

    @Test func englishSentencesEndAtAMarkBeforeWhitespace() {
        #expect(units("Hello there. How are you? Fine!") == ["Hello there.", " How are you?", " Fine!"])
    }

    @Test func numbersAddressesAndAbbreviationsStayWhole() {
        #expect(units("Pi is 3.14 and mail a.b@example.com today.") == ["Pi is 3.14 and mail a.b@example.com today."])
    }

    @Test func japaneseSentencesEndAtTheirMarkWhateverFollows() {
        #expect(units("今日は晴れです。明日は雨？そうですね！") == ["今日は晴れです。", "明日は雨？", "そうですね！"])
        #expect(units("全角．半角｡次") == ["全角．", "半角｡", "次"])
    }

    @Test func closingQuotesAndRepeatedMarksStayWithTheirSentence() {
        #expect(units("「行きます。」と言った。") == ["「行きます。」", "と言った。"])
        #expect(units("He said \"stop.\" Then?! Wait... ok") == ["He said \"stop.\"", " Then?!", " Wait...", " ok"])
    }

    @Test func aNewlineEndsAUnitAndStaysInIt() {
        #expect(units("one\ntwo.\nthree") == ["one\n", "two.\n", "three"])
        #expect(units("a\n\nb").map { $0 } == ["a\n", "\n", "b"])
    }

    @Test func aLongRunIsCutAtMaxCharactersCountingScalars() {
        #expect(units("abcdefgh", max: 3) == ["abc", "def", "gh"])
        #expect(units("あいうえおか", max: 4) == ["あいうえ", "おか"])
    }

    @Test func spansCountBytesAndScalars() {
        let found = units(of: ["é. ", "x"])
        #expect(found.map(\.byteSpan) == [0..<3, 3..<5])
        #expect(found.map(\.characterSpan) == [0..<2, 2..<4])
        #expect(found[1].trimmed.text == "x")
        #expect(units(of: ["a\n", "  \n"])[1].trimmed.text.isEmpty)
    }

    @Test func theOpenUnitStartsAfterTheLastCompleteOne() {
        var splitter = SentenceSplitter(maxCharacters: 400)
        #expect(splitter.feed("Done. Next").map(\.text) == ["Done."])
        #expect(splitter.openStart == 5)
        // A mark at the end of a piece waits for what follows.
        #expect(splitter.feed(" part.").isEmpty)
        #expect(splitter.feed(" ").map(\.text) == [" Next part."])
    }

    @Test func piecesCutAnywhereGiveTheUnitsOfTheWholeText() async {
        let words = Gen.element(of: [
            "Hello", " ", ".", "!", "?", "\n", "3.14", "\"", "」", "。", "？", "日本語", "e.g.", "x", "  ",
        ])
        await propertyCheck(
            count: 300, input: words.array(of: 1...30), Gen.int(in: 1...9).array(of: 1...20), Gen.int(in: 1...12)
        ) { parts, sizes, max in
            let text = parts.compactMap { $0 }.joined()
            let whole = units(of: [text], max: max)
            #expect(units(of: split(text, sizes: sizes), max: max) == whole)
            // The units cover the text exactly.
            #expect(whole.map(\.text).joined() == text)
            #expect(whole.allSatisfy { $0.characterSpan.count <= max })
        }
    }

    private func split(_ text: String, sizes: [Int]) -> [String] {
        var pieces: [String] = []
        var rest = Substring(text).unicodeScalars
        var index = 0
        while !rest.isEmpty {
            pieces.append(String(String.UnicodeScalarView(rest.prefix(sizes[index % sizes.count]))))
            rest = rest.dropFirst(sizes[index % sizes.count])
            index += 1
        }
        return pieces
    }
}

@Test func trimmedUnitsLeaveTheSpaceAroundThem() {
    let unit = SentenceSplitter.Unit(byteSpan: 10..<26, characterSpan: 4..<12, text: " \u{3000}あなた.\n ")
    let trimmed = unit.trimmed
    #expect(trimmed.text == "あなた.")
    #expect(trimmed.byteSpan == 14..<24)
    #expect(trimmed.characterSpan == 6..<10)
    #expect(SentenceSplitter.Unit(byteSpan: 0..<2, characterSpan: 0..<2, text: " \n").trimmed.text.isEmpty)
}
