/// A rough token count for the usage fields of mock responses.
///
/// The mock has no tokenizer; about four characters a token is what OpenAI quotes for
/// English, and every text costs at least one token as a real answer would.
enum TokenEstimate {
    static func count(_ text: String) -> Int {
        count(scalars: text.unicodeScalars.count)
    }

    /// The count for a text of `scalars` Unicode scalars.
    static func count(scalars: Int) -> Int {
        max(1, (scalars + 3) / 4)
    }

    static func count(_ texts: [String]) -> Int {
        texts.reduce(0) { $0 + count($1) }
    }
}
