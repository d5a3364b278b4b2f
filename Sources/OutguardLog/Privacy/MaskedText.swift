/// The `masked` form of a text: each run of letters and digits (any script) keeps its first
/// character and shows the rest as one `*` each; everything between runs stays. A last run
/// of one or two letters after a `.` is kept too, as it is a domain's suffix (`.jp`), which
/// tells a reviewer what kind of address fired and nothing about whose.
///
/// `taro@example.jp` → `t***@e******.jp`, `4111 1111` → `4*** 1***`, `山田太郎` → `山***`.
enum MaskedText {
    static func mask(_ text: some StringProtocol) -> String {
        let characters = Array(text)
        let kept = domainSuffix(of: characters)
        var masked = ""
        masked.reserveCapacity(text.utf8.count)
        var inRun = false
        for (index, character) in characters.enumerated() {
            let isWord = isWordCharacter(character)
            masked.append(isWord && inRun && !kept.contains(index) ? "*" : character)
            inRun = isWord
        }
        return masked
    }

    /// Where the last run is, when it is one or two letters right after a `.`.
    private static func domainSuffix(of characters: [Character]) -> Range<Int> {
        var end = characters.count
        while end > 0, !isWordCharacter(characters[end - 1]) { end -= 1 }
        var start = end
        while start > 0, isWordCharacter(characters[start - 1]) { start -= 1 }
        guard start > 0, characters[start - 1] == ".", (1...2).contains(end - start),
            characters[start..<end].allSatisfy(\.isLetter)
        else { return 0..<0 }
        return start..<end
    }

    private static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber
    }
}
