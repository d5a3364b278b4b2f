import OutguardConfig
import Testing

@Test func diagnosticPrintsLikeACompiler() {
    let diagnostic = Diagnostic(
        .error, at: SourceLocation(file: "rules/pii.yaml", line: 12, column: 5),
        "unknown key `replacment`", fix: "did you mean `replacement`?")
    #expect(diagnostic.description == "rules/pii.yaml:12:5: error: unknown key `replacment`\n    fix: did you mean `replacement`?")
}
