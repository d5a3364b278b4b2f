import Testing

@testable import OutguardProxy

@Suite struct JSONDocumentTests {
    @Test func valuesKeepTheirByteRanges() throws {
        let text = #"{"a": [1, -2.5e3, true, null], "b": {"c": "x\"y"}}"#
        let document = try JSONDocument(Array(text.utf8))
        let c = try #require(document.root["b"]?["c"])
        #expect(c.string == "x\"y")
        #expect(String(decoding: document.bytes[c.range], as: UTF8.self) == #""x\"y""#)
        #expect(document.root["a"]?[0]?.int == 1)
        #expect(document.root["a"]?[1]?.int == nil)
        #expect(document.root["a"]?[2]?.bool == true)
        #expect(document.root["a"]?[3]?.isNull == true)
    }

    /// A number reads as an integer only when it is one that fits in `Int`.
    @Test func integersAreReadWhereTheyLie() throws {
        let text = "[-42, 9223372036854775807, 9223372036854775808, -9223372036854775808, 1e2, 0.5, -0, 7]"
        let root = try JSONDocument(Array(text.utf8)).root
        #expect(root.items.map(\.int) == [-42, .max, nil, .min, nil, nil, 0, 7])
    }

    /// The tape starts with room for a value every 8 bytes; denser text moves it to a
    /// larger one, entries and all.
    @Test func denseValuesOutgrowTheFirstTape() throws {
        let text = "[" + (0..<1_000).map { "\($0 % 10)" }.joined(separator: ",") + ",{\"k\":[true]}]"
        let document = try JSONDocument(Array(text.utf8))
        #expect(document.root.items.count == 1_001)
        #expect(document.root[0]?.int == 0 && document.root[999]?.int == 9)
        #expect(document.root[1_000]?["k"]?[0]?.bool == true)
        #expect(document.root.range == 0..<text.utf8.count)
    }

    @Test func keysAreFoundByTheirTextEscapedOrNot() throws {
        let text = #"{"a":1,"\u0062":2,"a":3,"c\"d":[{"e":[]},"f",{}],"":true}"#
        let document = try JSONDocument(Array(text.utf8))
        let root = document.root
        #expect(root["a"]?.int == 1, "the first of a repeated key")
        #expect(root["b"]?.int == 2)
        #expect(root["c\"d"]?.items.count == 3)
        #expect(root["c\"d"]?[1]?.string == "f")
        #expect(root["c\"d"]?[2]?.kind == .object)
        #expect(root["c\"d"]?[3] == nil)
        #expect(root["c\"d"]?[0]?["e"]?.items.isEmpty == true)
        #expect(root[""]?.bool == true)
        #expect(root["f"] == nil && root["a"]?["a"] == nil && root[0] == nil)
        #expect(root.string == nil && root.int == nil)
    }

    /// Views read what nodes read, in place: items in order past nested values, and a
    /// text fed from a view is the string's at the same place.
    @Test func viewsReadTheSameValuesAsNodes() throws {
        let text = #"{"choices":[{"index":0,"delta":{"content":"Hi\n"}},[1,[2]],{"index":2,"finish_reason":"stop"}]}"#
        let root = try JSONDocument(Array(text.utf8)).root
        root.withView { view in
            let choices = view["choices"]
            #expect(choices?.items.map(\.kind) == [.object, .array, .object])
            #expect(choices?.items.map { $0["index"]?.int } == [0, nil, 2])
            #expect(choices?[1]?[1]?[0]?.int == 2)
            #expect(choices?[3] == nil && choices?[-1] == nil)
            let content = choices?[0]?["delta"]?["content"]
            #expect(content?.withUTF8 { Array($0) } == Array("Hi\n".utf8))
            #expect(content?.range == root["choices"]?[0]?["delta"]?["content"]?.range)
            #expect(choices?[2]?["finish_reason"]?.isString == true && view["choices"]?.isString == false)
        }
    }

    @Test func escapesDecode() throws {
        let document = try JSONDocument(Array(#""\u00e9\ud83d\ude00\n\t\\\/ \u3042""#.utf8))
        #expect(document.root.string == "é😀\n\t\\/ あ")
    }

    @Test func editsReplaceOnlyTheirValue() throws {
        let text = #"{"choices":[{"message":{"content":"mail a@b.io"}}],"id":"x"}"#
        let document = try JSONDocument(Array(text.utf8))
        var edits = JSONEdits()
        edits.replace(
            try #require(document.root["choices"]?[0]?["message"]?["content"]), withString: "mail \"[EMAIL]\"\n")
        let output = String(decoding: document.applying(edits), as: UTF8.self)
        #expect(output == #"{"choices":[{"message":{"content":"mail \"[EMAIL]\"\n"}}],"id":"x"}"#)
    }

    @Test func encodedStringsRoundTrip() throws {
        let samples = ["", "plain", "quote\" back\\ slash", "tab\tnew\nline\r", "\u{01}\u{1F}", "日本語 テキスト", "😀"]
        for sample in samples {
            let document = try JSONDocument(JSONString.encoded(sample))
            #expect(document.root.string == sample)
        }
    }

    /// Encoding looks for the bytes to escape eight at a time: each is escaped at any
    /// offset of a word, after ASCII or multi-byte text.
    @Test func encodingEscapesAtEveryOffset() throws {
        for offset in 0..<18 {
            let lead = String(repeating: "é", count: offset / 2) + String(repeating: "a", count: offset % 2)
            for special in ["\"", "\\", "\n", "\u{01}", "\u{1F}", "\u{7F}"] {
                let text = lead + special + "bcdefghijklmnop" + special
                #expect(try JSONDocument(JSONString.encoded(text)).root.string == text, "\(offset) \(special)")
            }
        }
    }

    /// Strings are scanned eight bytes at a time: a quote, a backslash or a control
    /// character is found at any offset of a word, and bytes above 0x7F pass.
    @Test func everyStringByteIsSeenAtEveryOffset() throws {
        for offset in 0..<18 {
            let lead = String(repeating: "a", count: offset)
            for (text, expected) in [("\\\"", "\""), ("\\\\", "\\"), ("\\n", "\n"), ("é\u{7F}", "é\u{7F}"), ("", "")] {
                let json = "{\"k\":\"" + lead + text + "bcdefghij\",\"n\":1}"
                let document = try JSONDocument(Array(json.utf8))
                #expect(document.root["k"]?.string == lead + expected + "bcdefghij", "\(json)")
                #expect(document.root["n"]?.int == 1, "\(json)")
            }
            let control = Array(("\"" + lead + "\u{01}bcdefghij\"").utf8)
            #expect(throws: JSONSyntaxError.self, "a raw control character after \(offset) bytes") {
                try JSONDocument(control)
            }
            let unclosed = Array(("\"" + lead).utf8)
            #expect(throws: JSONSyntaxError.self) { try JSONDocument(unclosed) }
        }
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "\"open", "tru", "01x", "{\"a\":1}}", "\"\u{01}\"", "-", "\"\\x\"", "\"\\u12\"",
    ])
    func malformedTextIsAnErrorNotACrash(_ text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONDocument(Array(text.utf8)) }
    }

    @Test func deepNestingIsRefused() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONSyntaxError.self) { try JSONDocument(Array(deep.utf8)) }
    }
}
