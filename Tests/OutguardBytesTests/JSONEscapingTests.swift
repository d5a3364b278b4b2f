import Foundation
import OutguardBytes
import Testing

struct JSONEscapingTests {
    private func escaped(_ text: String) -> String {
        var output: [UInt8] = []
        var text = text
        text.withUTF8 { JSONEscaping.append($0, to: &output) }
        return String(decoding: output, as: UTF8.self)
    }

    @Test func eachByteAJSONStringCannotHoldGetsItsEscape() {
        #expect(escaped(#"say "hi" \ bye"#) == #"say \"hi\" \\ bye"#)
        #expect(escaped("\n\r\t\u{08}\u{0C}") == #"\n\r\t\b\f"#)
        #expect(escaped("\u{00}\u{01}\u{1B}\u{1F}") == #"\u0000\u0001\u001b\u001f"#)
        // DEL and everything above the ASCII controls is valid inside a JSON string.
        #expect(escaped("\u{7F}/é日本語😀") == "\u{7F}/é日本語😀")
        #expect(escaped("") == "")
    }

    /// Runs are found eight bytes at a time: every control character is escaped at every
    /// offset of a word, after ASCII or multi-byte text, and the result reads back as the text.
    @Test func everyControlCharacterAtEveryOffsetReadsBack() throws {
        for offset in 0..<18 {
            let lead = String(repeating: "é", count: offset / 2) + String(repeating: "a", count: offset % 2)
            for scalar in (0..<0x20).compactMap(Unicode.Scalar.init) + ["\"", "\\"] {
                let text = lead + String(scalar) + "bcdefghijklmnop" + String(scalar)
                let json = Data(("\"" + escaped(text) + "\"").utf8)
                #expect(try JSONDecoder().decode(String.self, from: json) == text, "\(offset) \(scalar.value)")
            }
        }
    }
}
