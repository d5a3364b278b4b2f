import OutguardConfig
import Testing

private func parse(_ text: String, aliasExpansionLimit: Int = YAMLDocument.defaultAliasExpansionLimit) -> YAMLDocument {
    YAMLDocument.parse(Array(text.utf8), file: "t.yaml", aliasExpansionLimit: aliasExpansionLimit)
}

private func scalar(_ document: YAMLDocument, _ key: String) -> YAMLScalar? {
    document.root?.mapping?.entries.first { $0.key.scalar?.value == key }?.value.scalar
}

private func at(_ line: Int, _ column: Int) -> OutguardConfig.SourceLocation {
    OutguardConfig.SourceLocation(file: "t.yaml", line: line, column: column)
}

@Test func scalarsKnowTheirStyleAndWhereTheirContentStarts() throws {
    let document = parse("""
        plain: abc
        single: 'it''s'
        double: "a\\\\b"
        anchored: &name  value
        literal: |
            first
              second
        folded: >-
          one
          two
        """)
    #expect(document.diagnostics.isEmpty)
    let plain = try #require(scalar(document, "plain"))
    #expect(plain.style == .plain && plain.location == at(1, 8) && plain.contentStart == at(1, 8))
    let single = try #require(scalar(document, "single"))
    #expect(single.value == "it's" && single.style == .singleQuoted)
    #expect(single.location == at(2, 9) && single.contentStart == at(2, 10))
    let double = try #require(scalar(document, "double"))
    #expect(double.value == "a\\b" && double.style == .doubleQuoted && double.contentStart == at(3, 10))
    let anchored = try #require(scalar(document, "anchored"))
    #expect(anchored.location == at(4, 18))
    let literal = try #require(scalar(document, "literal"))
    #expect(literal.value == "first\n  second\n" && literal.style == .literal)
    #expect(literal.location == at(5, 10) && literal.contentStart == at(6, 5))
    let folded = try #require(scalar(document, "folded"))
    #expect(folded.value == "one two" && folded.style == .folded && folded.contentStart == at(9, 3))
}

@Test func characterOffsetsMapToColumnsInsideTheValue() throws {
    let document = parse("""
        single: 'it''s (a'
        double: "\\\\d+ (x"
        literal: |
          first
          sec(ond
        """)
    // In single quotes `''` is one character written in two columns.
    let single = try #require(scalar(document, "single"))
    #expect(single.location(ofCharacterOffset: 5) == at(1, 16))
    let double = try #require(scalar(document, "double"))
    #expect(double.location(ofCharacterOffset: 4) == at(2, 15))
    let literal = try #require(scalar(document, "literal"))
    #expect(literal.location(ofCharacterOffset: 9) == at(5, 6))
}

@Test func aliasesStandForTheAnchoredNode() throws {
    let document = parse("""
        base: &shared
          tags: [pii]
        copy: *shared
        """)
    #expect(document.diagnostics.isEmpty)
    let entries = try #require(document.root?.mapping?.entries)
    let copy = try #require(entries.last?.value.mapping)
    #expect(copy.entries.first?.key.scalar?.value == "tags")
    // The alias is the anchored node itself, so it points where that node was written.
    #expect(copy.location == at(2, 3))
}

@Test func anAliasWithoutAnAnchorIsAnError() {
    let document = parse("a: *missing\n")
    #expect(document.root == nil)
    #expect(document.diagnostics.map(\.description) == [
        "t.yaml:1:4: error: no anchor `&missing` before this alias\n    fix: define `&missing` on a node above, before `*missing` uses it"
    ])
}

@Test func billionLaughsStopsFastWithAnError() {
    var text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for level in 1...9 {
        let previous = "*a\(level - 1)"
        text += "a\(level): &a\(level) [\(Array(repeating: previous, count: 9).joined(separator: ", "))]\n"
    }
    let clock = ContinuousClock()
    var document: YAMLDocument?
    let elapsed = clock.measure { document = parse(text) }
    #expect(elapsed < .seconds(2))
    #expect(document?.root == nil)
    let diagnostic = document?.diagnostics.first
    #expect(diagnostic?.location.line == 6)
    #expect(diagnostic?.message
        == "aliases expand to more than 100000 nodes; a file of rules never needs that many")
    #expect(diagnostic?.fix == "remove the nested aliases")
}

@Test func aliasExpansionWithinTheLimitIsFine() {
    let document = parse("a: &a [1, 2, 3]\nb: [*a, *a]\n", aliasExpansionLimit: 8)
    #expect(document.diagnostics.isEmpty)
    let tooMany = parse("a: &a [1, 2, 3]\nb: [*a, *a, *a]\n", aliasExpansionLimit: 8)
    #expect(tooMany.diagnostics.first?.location == at(2, 13))
}

@Test func aDuplicateKeyIsAnErrorAtTheSecondNamingTheFirst() {
    let document = parse("""
        id: a
        type: regex
        id: b
        """)
    #expect(document.diagnostics.map(\.description) == [
        "t.yaml:3:1: error: duplicate key `id`; the first is on line 1\n    fix: keep one of them: YAML would silently use only one"
    ])
    // The first value is kept.
    #expect(scalar(document, "id")?.value == "a")
}

@Test func syntaxErrorsPointAtLibyamlsProblemMark() {
    let document = parse("""
        rules:
          - id: a
           type: regex
        """)
    #expect(document.root == nil)
    #expect(document.diagnostics.map(\.description) == [
        """
        t.yaml:3:4: error: YAML syntax: did not find expected '-' indicator (while parsing a block collection that starts at line 2, column 3)
            fix: check the indentation: this line does not line up with the keys or items above it
        """
    ])
}

@Test func invalidUTF8IsAnErrorAtItsByte() {
    let document = YAMLDocument.parse(Array("a: 1\né: x".utf8) + [0xFF], file: "t.yaml")
    #expect(document.root == nil)
    #expect(document.diagnostics.first?.location == at(2, 5))
    #expect(document.diagnostics.first?.fix == "save the file as UTF-8 text")
}

@Test func aSecondDocumentIsAnError() {
    let document = parse("a: 1\n---\nb: 2\n")
    #expect(document.root == nil)
    #expect(document.diagnostics.first?.location == at(2, 1))
    #expect(document.diagnostics.first?.message == "a second YAML document starts here")
}

@Test func anEmptyFileHasNoRootAndNoError() {
    for text in ["", "# only a comment\n", "\n\n"] {
        let document = parse(text)
        #expect(document.root == nil && document.diagnostics.isEmpty)
    }
}

@Test func deepNestingIsAnErrorNotAStackOverflow() {
    let depth = YAMLDocument.nestingLimit + 10
    let document = parse(String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
    #expect(document.root == nil)
    #expect(document.diagnostics.first?.location == at(1, YAMLDocument.nestingLimit + 1))
}

@Test func aliasesCannotBuildATreeDeeperThanTheLimit() {
    // Each line nests the previous one 100 levels deeper, with few nodes.
    var text = "a0: &a0 " + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "\n"
    for level in 1...5 {
        text += "a\(level): &a\(level) " + String(repeating: "[", count: 99) + "*a\(level - 1)"
            + String(repeating: "]", count: 99) + "\n"
    }
    let document = parse(text)
    #expect(document.root == nil)
    #expect(document.diagnostics.first?.location.line == 3)
    #expect(document.diagnostics.first?.message == "lists and mappings nest more than 256 levels deep here")
}
