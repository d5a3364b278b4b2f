/// One text of a labelled corpus and the rules that must fire on it (none for a clean text).
struct LabelledExample: Sendable, Hashable {
    var text: String
    var expected: Set<String>
    /// Where the example was written, so a miss can be found and fixed.
    var file: String
    var line: Int

    var place: String { "\(file):\(line)" }
}
