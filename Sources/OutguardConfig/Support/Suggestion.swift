/// "Did you mean …?" for a misspelt key or value; public because the commands suggest
/// rule ids and policy names the same way the config files do.
public enum Suggestion {
    /// The candidate closest to `word`, if it is close enough to be a plausible typo.
    public static func closest(to word: String, among candidates: [String]) -> String? {
        let typed = Array(word.lowercased())
        // Allow about one slip per three characters, at least one and at most three.
        let allowed = min(3, max(1, typed.count / 3))
        return candidates
            .filter { abs($0.count - typed.count) <= allowed }
            .map { (candidate: $0, distance: distance(typed, Array($0.lowercased()))) }
            .filter { $0.distance <= allowed }
            .min { $0.distance < $1.distance }?
            .candidate
    }

    /// A fix sentence for a value that must be one of `choices`.
    static func fix(for value: String, choices: [String]) -> String {
        let list = choices.joined(separator: ", ")
        if let close = closest(to: value, among: choices) {
            return "did you mean `\(close)`? (one of: \(list))"
        }
        return "write one of: \(list)"
    }

    /// Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`.
    private static func distance(_ a: [Character], _ b: [Character]) -> Int {
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in a.indices {
            for j in b.indices {
                let substitution = table[i][j] + (a[i] == b[j] ? 0 : 1)
                var best = min(table[i][j + 1] + 1, table[i + 1][j] + 1, substitution)
                if i > 0, j > 0, a[i] == b[j - 1], a[i - 1] == b[j] {
                    best = min(best, table[i - 1][j - 1] + 1)
                }
                table[i + 1][j + 1] = best
            }
        }
        return table[a.count][b.count]
    }
}
