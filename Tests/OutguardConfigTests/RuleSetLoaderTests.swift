import Foundation
import OutguardConfig
import OutguardEngine
import Testing

/// The example of DESIGN.md, which must load without a word.
private let designExample = """
    pack: pii
    description: Personal data that must not leave in model output
    rules:
      - id: pii.email
        description: E-mail addresses
        type: regex
        pattern: '[\\w.%+-]+@[\\w-]+(\\.[\\w-]+)+'
        flags: [caseless]
        normalize: [nfkc]
        action: redact
        replacement: "[EMAIL]"
        severity: medium
        mode: enforce
        tags: [pii]
        tests:
          match: ["連絡先は taro.yamada@example.co.jp です"]
          no_match: ["send it to me at the office"]
          rewrite:
            - {input: "mail a@b.io now", output: "mail [EMAIL] now"}
      - id: pii.card
        type: regex
        pattern: '\\b\\d(?:[ -]?\\d){12,18}\\b'
        validate: luhn
        action: redact
        replacement: "[CARD]"
      - id: brand.competitors
        type: lexicon
        terms: ["Acme Corp", "アクメ"]
        terms_file: lexicons/competitors.txt
        normalize: [nfkc, casefold, width, kana]
        exceptions: ["アクメガネ"]
        action: block
        message: "I can't discuss other vendors."
      - id: tox.harassment
        type: classifier
        hook: moderation
        categories: [harassment, hate]
        threshold: 0.8
        action: block
    hooks:
      moderation:
        url: http://127.0.0.1:9090/v1/moderations
        protocol: openai-moderation
        timeout_ms: 300
        on_error: allow
    """

private let competitors = """
    # one term a line
    Globex

      Initech
    """

@Test func theDesignExampleLoadsCleanly() throws {
    let folder = try RuleFolder(["pii.yaml": designExample, "lexicons/competitors.txt": competitors])
    let set = folder.load()
    #expect(set.diagnostics.isEmpty)
    #expect(set.rules.map(\.definition.id) == ["pii.email", "pii.card", "brand.competitors", "tox.harassment"])

    let email = try #require(set.rules.first)
    #expect(email.definition.matcher == .regex(pattern: #"[\w.%+-]+@[\w-]+(\.[\w-]+)+"#, flags: [.caseless]))
    #expect(email.definition.normalization == .nfkc)
    #expect(email.definition.replacement == "[EMAIL]")
    #expect(email.location == SourceLocation(file: "\(folder.path)/pii.yaml", line: 4, column: 9))
    #expect(email.tests.match.map(\.text) == ["連絡先は taro.yamada@example.co.jp です"])
    #expect(email.tests.noMatch.first?.location.line == 17)
    #expect(email.tests.rewrite == [RuleTests.RewriteCase(
        input: "mail a@b.io now", output: "mail [EMAIL] now",
        location: SourceLocation(file: "\(folder.path)/pii.yaml", line: 19, column: 11))])

    #expect(set.rules[1].definition.validator == .luhn)
    let lexicon = set.rules[2].definition
    #expect(lexicon.matcher == .lexicon(terms: ["Acme Corp", "アクメ", "Globex", "Initech"], exceptions: ["アクメガネ"]))
    #expect(lexicon.normalization == [.nfkc, .casefold, .width, .kana])
    #expect(lexicon.action == .block && lexicon.message == "I can't discuss other vendors.")
    #expect(set.rules[3].definition.matcher == .classifier(hook: "moderation", categories: ["harassment", "hate"], threshold: 0.8))
    #expect(set.hooks == [HookDefinition(
        name: "moderation", url: "http://127.0.0.1:9090/v1/moderations", protocol: .openaiModeration,
        timeoutMs: 300, onError: .allow, location: SourceLocation(file: "\(folder.path)/pii.yaml", line: 41, column: 3))])
    #expect(set.files.map(\.description) == ["Personal data that must not leave in model output"])
}

@Test func termsFromATermsFileKnowTheirLine() throws {
    let folder = try RuleFolder(["pii.yaml": designExample, "lexicons/competitors.txt": competitors])
    let lexicon = try #require(folder.load().rules.first { $0.definition.id == "brand.competitors" })
    let termsFile = "\(folder.path)/lexicons/competitors.txt"
    #expect(lexicon.location(of: .terms, termIndex: 1) == SourceLocation(file: "\(folder.path)/pii.yaml", line: 28, column: 26))
    #expect(lexicon.location(of: .terms, termIndex: 2) == SourceLocation(file: termsFile, line: 2, column: 1))
    #expect(lexicon.location(of: .terms, termIndex: 3) == SourceLocation(file: termsFile, line: 4, column: 3))
    #expect(lexicon.location(of: .exceptions, termIndex: 0).line == 31)
}

@Test func defaultsApplyToWhatARuleLeavesOut() throws {
    let folder = try RuleFolder(["secrets.yaml": """
        rules:
          - id: secrets.token
            type: regex
            pattern: 'tok_[a-z0-9]{16}'
          - id: tox.hate
            type: classifier
            hook: judge
            categories: [hate]
        hooks:
          judge: {url: "https://judge.internal/v1/classify", protocol: outguard}
        """])
    let set = folder.load()
    #expect(set.diagnostics.isEmpty)
    let token = try #require(set.rules.first)
    #expect(token.enabled)
    #expect(token.tests.isEmpty)
    #expect(token.definition == RuleDefinition(
        id: "secrets.token", pack: "secrets", matcher: .regex(pattern: "tok_[a-z0-9]{16}", flags: []),
        action: .redact, replacement: "[REDACTED]", severity: .medium, mode: .enforce))
    #expect(set.rules[1].definition.matcher == .classifier(hook: "judge", categories: ["hate"], threshold: 0.5))
    #expect(set.hooks.first?.timeoutMs == 300)
    #expect(set.hooks.first?.onError == .allow)
    #expect(set.files.first?.pack == "secrets")
}

@Test func disabledRulesAreCheckedButNotCompiled() throws {
    let folder = try RuleFolder(["pii.yaml": """
        rules:
          - id: pii.a
            type: regex
            pattern: 'a'
            enabled: false
          - id: pii.b
            type: regex
            pattern: 'b'
          - id: pii.c
            type: regex
            pattern: 'c'
            enabled: false
            severity: urgent
        """])
    let set = folder.load()
    #expect(folder.render(set.diagnostics) == [
        "pii.yaml:13:15: error: unknown severity `urgent`\n    fix: write one of: info, low, medium, high, critical"
    ])
    #expect(set.rules.map(\.definition.id) == ["pii.a", "pii.b"])
    #expect(set.enabledDefinitions.map(\.id) == ["pii.b"])
}

@Test func foldersLoadEveryYAMLFileBelowThemInSortedOrder() throws {
    let rule = { (id: String) in "rules:\n  - {id: \(id), type: regex, pattern: 'x'}\n" }
    let folder = try RuleFolder([
        "b.yaml": rule("b.one"),
        "a/z.yml": rule("a.z"),
        "a.yaml": rule("a.top"),
        "notes.txt": "not rules",
        ".hidden/c.yaml": rule("hidden.c"),
        "..data/d.yaml": rule("hidden.d"),
    ])
    let set = folder.load()
    #expect(set.diagnostics.isEmpty)
    #expect(set.files.map { $0.path.replacingOccurrences(of: folder.path + "/", with: "") } == ["a.yaml", "a/z.yml", "b.yaml"])
    #expect(set.files.map(\.pack) == ["a", "z", "b"])
    // A file named twice, directly and through its folder, loads once.
    #expect(RuleSetLoader.load(paths: [folder.path, "\(folder.path)/b.yaml"]).files.count == 3)
}

@Test func theRulesetDigestDependsOnContentsNotOnPlace() throws {
    let files = ["pii.yaml": designExample, "lexicons/competitors.txt": competitors]
    let first = try RuleFolder(files).load().ruleset
    let second = try RuleFolder(files).load().ruleset
    #expect(first.hasPrefix("sha256:") && first.count == 7 + 64)
    #expect(first == second)

    let changed = try RuleFolder(files)
    try changed.write("lexicons/competitors.txt", competitors + "\nUmbrella\n")
    #expect(changed.load().ruleset != first)
}

@Test func anchorsAndAliasesWorkInRuleFiles() throws {
    let folder = try RuleFolder(["pii.yaml": """
        rules:
          - id: pii.email
            type: regex
            pattern: 'a@b'
            tags: &pii [pii, gdpr]
            tests: &mailTests
              match: ["a@b"]
          - id: pii.mail
            type: regex
            pattern: 'a@b'
            tags: *pii
            tests: *mailTests
        """])
    let set = folder.load()
    #expect(set.diagnostics.isEmpty)
    #expect(set.rules[1].definition.tags == ["pii", "gdpr"])
    #expect(set.rules[1].tests.match.first?.location.line == 7)
}

@Test func aBillionLaughsRuleFileIsAnError() throws {
    var text = "x0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for level in 1...12 {
        text += "x\(level): &x\(level) [\(Array(repeating: "*x\(level - 1)", count: 10).joined(separator: ", "))]\n"
    }
    text += "rules: *x12\n"
    let folder = try RuleFolder(["laughs.yaml": text])
    let clock = ContinuousClock()
    var set: RuleSet?
    #expect(clock.measure { set = folder.load() } < .seconds(2))
    #expect(set.map { folder.render($0.diagnostics) } == [
        "laughs.yaml:5:45: error: aliases expand to more than 100000 nodes; a file of rules never needs that many\n    fix: remove the nested aliases"
    ])
}

@Test func allMistakesOfAllFilesInOneRun() throws {
    let folder = try RuleFolder([
        "a.yaml": """
            rules:
              - id: a.one
                type: regex
                pattern: 'x'
                action: redcat
              - id: a.two
                type: lexicon
            """,
        "b.yaml": """
            rules:
              - id: b.one
                type: regex
                patern: 'x'
            """,
        "c.yaml": "rules: [\n",
    ])
    let set = folder.load()
    #expect(set.hasErrors)
    #expect(folder.render(set.diagnostics) == [
        "a.yaml:5:13: error: unknown action `redcat`\n    fix: did you mean `redact`? (one of: redact, block, log)",
        "a.yaml:6:5: error: lexicon rule `a.two` has no terms\n    fix: add `terms: [\"Acme Corp\"]` or `terms_file:` with one term a line",
        "b.yaml:2:5: error: regex rule `b.one` has no `pattern`\n    fix: add a regular expression in single quotes, like `pattern: '\\d{3}-\\d{4}'`",
        "b.yaml:4:5: error: unknown key `patern`\n    fix: did you mean `pattern`?",
        "c.yaml:2:1: error: YAML syntax: did not find expected node content (while parsing a flow node that starts at line 2, column 1)\n    fix: fix the YAML syntax here; quote values that contain `: `, ` #` or start with a special character",
    ])
}

@Test func aDuplicateIDAcrossFilesNamesBothPlaces() throws {
    let folder = try RuleFolder([
        "a.yaml": """
            rules:
              - id: shared.rule
                type: regex
                pattern: 'x'
            """,
        "b.yaml": """
            hooks:
              judge: {url: "http://127.0.0.1:1/", protocol: outguard}
            rules:
              - id: other.rule
                type: regex
                pattern: 'y'
              - id: shared.rule
                type: regex
                pattern: 'z'
            """,
        "c.yaml": """
            hooks:
              judge: {url: "http://127.0.0.1:2/", protocol: outguard}
            """,
    ])
    #expect(folder.render(folder.load().diagnostics) == [
        "b.yaml:7:9: error: duplicate rule id `shared.rule`\n    fix: rule ids are unique across all packs; rename one of them",
        "a.yaml:2:9: note: `shared.rule` is first defined here",
        "c.yaml:2:3: error: duplicate hook `judge`\n    fix: hook names are shared by all rule files; rename or remove one of them",
        "b.yaml:2:3: note: `judge` is first defined here",
    ])
}

@Test func engineProblemsPointIntoTheRuleFile() throws {
    let folder = try RuleFolder(["pii.yaml": """
        rules:
          - id: quote.rule
            type: regex
            pattern: 'it''s (a'
          - id: off.rule
            type: regex
            pattern: 'x'
            enabled: false
          - id: block.rule
            type: regex
            pattern: |
              first
              sec(ond
        """])
    let set = folder.load()
    #expect(set.diagnostics.isEmpty)
    let error = PolicyError(problems: [
        RuleProblem(ruleIndex: 0, field: .pattern, message: "missing closing parenthesis", patternOffset: 5),
        RuleProblem(ruleIndex: 1, field: .pattern, message: "missing closing parenthesis", patternOffset: 9),
        RuleProblem(ruleIndex: 0, field: .validator, message: "no such validator"),
    ])
    // ruleIndex counts enabled rules: the disabled one in between does not count.
    #expect(folder.render(set.diagnostics(for: error)) == [
        "pii.yaml:4:21: error: missing closing parenthesis",
        "pii.yaml:13:10: error: missing closing parenthesis",
        "pii.yaml:2:9: error: no such validator",
    ])
}

@Test func termProblemsPointAtTheTerm() throws {
    let folder = try RuleFolder(["brand.yaml": """
        rules:
          - id: brand.acme
            type: lexicon
            terms: [acme, globex]
            exceptions: [acme cafe]
        """])
    let set = folder.load()
    let error = PolicyError(problems: [
        RuleProblem(ruleIndex: 0, field: .terms, message: "term too long", termIndex: 1),
        RuleProblem(ruleIndex: 0, field: .exceptions, message: "exception contains no term", termIndex: 0),
        RuleProblem(ruleIndex: 0, field: .normalize, message: "not supported"),
    ])
    #expect(folder.render(RuleSet.diagnostics(for: error, in: set.rules)) == [
        "brand.yaml:4:19: error: term too long",
        "brand.yaml:5:18: error: exception contains no term",
        "brand.yaml:2:9: error: not supported",
    ])
}

@Test func theSchemaKeySetsAreWhatTheLoaderAccepts() {
    #expect(RuleFileSchema.topLevelKeys == ["pack", "description", "rules", "hooks"])
    #expect(RuleFileSchema.testsKeys == ["match", "no_match", "rewrite"])
    #expect(RuleFileSchema.rewriteKeys == ["input", "output"])
    #expect(RuleFileSchema.hookKeys == ["url", "protocol", "timeout_ms", "on_error", "max_concurrency", "cache_size", "headers"])
    #expect(RuleFileSchema.ruleKeys.count == 24)
    #expect(RuleFileSchema.keys(onlyFor: .classifier) == ["hook", "categories", "threshold", "stream", "scope", "segment_max_chars"])
}

@Test func aBadPatternIsReportedEvenWhenItsRuleHasOtherErrors() throws {
    let folder = try RuleFolder(["pii.yaml": """
        rules:
          - id: pii.card
            type: regex
            pattern: '\\d{4}(\\d'
            validate: luhnn
        """,
    ])
    let compiled = folder.load().compile()
    #expect(compiled.policy == nil)
    #expect(folder.render(compiled.diagnostics) == [
        "pii.yaml:5:15: error: unknown validator `luhnn`\n    fix: did you mean `luhn`? (one of: luhn, mynumber, iban)",
        "pii.yaml:4:23: error: the pattern does not compile: missing closing parenthesis",
    ])
}
