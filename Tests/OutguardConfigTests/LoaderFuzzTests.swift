import Foundation
import OutguardConfig
import PropertyBased
import Testing

private let seed = """
    pack: pii
    rules:
      - id: pii.email
        type: regex
        pattern: '[\\w.+-]+@[\\w-]+'
        flags: [caseless]
        tests: {match: ["a@b.io"], rewrite: [{input: "x a@b.io", output: "x [REDACTED]"}]}
      - &base
        id: brand.acme
        type: lexicon
        terms: ["Acme", 'it''s']
        terms_file: terms.txt
        action: block
        message: |
          No.
      - id: tox.hate
        type: classifier
        hook: judge
        categories: [hate]
        threshold: 0.7
    hooks:
      judge: {url: "http://127.0.0.1:9/", protocol: outguard, timeout_ms: 100}
    """

/// Pieces that make YAML interesting: indicators, quotes, anchors, odd bytes.
private let splices = [
    "&a ", "*a", "- ", ": ", "{", "}", "[", "]", "'", "\"", "|", ">", "#", "\t", "\n", "---\n", "!!str ",
    "\\", "\u{FEFF}", "\u{0}", "\r\n", "? ", "%YAML 1.1\n", "~", "é", "\u{2028}",
]

@Test func theLoaderNeverCrashesOnMangledFiles() throws {
    let folder = try RuleFolder(["terms.txt": "one\n#two\n"])
    // Seeded, so a failure can be replayed.
    var random = Xoshiro(seed: (0x5EED, 1, 2, 3))
    let original = Array(seed.utf8)
    for round in 0..<1_000 {
        var bytes = original
        switch round % 4 {
        case 0:
            bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &random)))
        case 1:
            for _ in 0..<Int.random(in: 1...8, using: &random) {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
        case 2:
            for _ in 0..<Int.random(in: 1...6, using: &random) {
                let piece = Array(splices.randomElement(using: &random)!.utf8)
                bytes.insert(contentsOf: piece, at: Int.random(in: 0...bytes.count, using: &random))
            }
        default:
            bytes = (0..<Int.random(in: 0...200, using: &random)).map { _ in
                UInt8.random(in: 0...127, using: &random)
            }
        }
        try folder.write("fuzz.yaml", Data(bytes))
        let set = folder.load(["fuzz.yaml"])
        for diagnostic in set.diagnostics {
            #expect(diagnostic.location.line >= 1 && diagnostic.location.column >= 1, "round \(round)")
            #expect(diagnostic.severity == .note || diagnostic.fix != nil, "round \(round): \(diagnostic)")
        }
        for rule in set.rules {
            _ = rule.location(ofPatternOffset: Int.random(in: -2...200, using: &random))
        }
    }
}
