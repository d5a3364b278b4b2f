import OutguardConfig
import Testing

/// One test per kind of mistake: each names the exact place and what to write instead.
/// The YAML is written inline, so lines and columns can be counted in this file.

private func diagnostics(of yaml: String, file: String = "pii.yaml") throws -> [String] {
    try RuleFolder([file: yaml]).diagnostics(of: file)
}

@Test func unknownKeySuggestsTheClosestKey() throws {
    #expect(try diagnostics(of: """
        rules:
          - id: pii.email
            type: regex
            pattern: 'a@b'
            replacment: "[EMAIL]"
        """) == ["pii.yaml:5:5: error: unknown key `replacment`\n    fix: did you mean `replacement`?"])
}

@Test func unknownKeyFarFromAnyListsTheKeys() throws {
    #expect(try diagnostics(of: """
        rules:
          - id: pii.email
            type: classifier
            hook: moderation
            categories: [harassment]
            colour: blue
        hooks:
          moderation: {url: "http://127.0.0.1:9090/v1/moderations", protocol: openai-moderation}
        """) == [
            "pii.yaml:6:5: error: unknown key `colour`\n    fix: the keys of a classifier rule are: id, description, type, action, replacement, message, severity, mode, tags, enabled, tests, hook, categories, threshold, stream, scope, segment_max_chars"
        ])
}

@Test func unknownTopLevelKey() throws {
    #expect(try diagnostics(of: """
        pack: pii
        rule: []
        """) == [
            "pii.yaml:1:1: warning: the file has no `rules:` and no `hooks:`\n    fix: list rules under `rules:`, like `rules: [{id: my.rule, type: regex, pattern: 'secret'}]`",
            "pii.yaml:2:1: error: unknown key `rule`\n    fix: did you mean `rules`?",
        ])
}

@Test func aKeyOfAnotherRuleType() throws {
    #expect(try diagnostics(of: """
        rules:
          - id: brand.acme
            type: lexicon
            terms: [Acme]
            pattern: 'Acme'
        """) == [
            "pii.yaml:5:5: error: `pattern` is not used by lexicon rules; it belongs to regex rules\n    fix: remove it, or make this rule `type: regex`"
        ])
}

@Test func aListWrittenAsAWord() throws {
    #expect(try diagnostics(of: """
        rules:
          - id: pii.email
            type: regex
            pattern: 'a@b'
            flags: caseless
        """) == ["pii.yaml:5:12: error: `flags` must be a list of strings\n    fix: write it like `flags: [caseless]`"])
}

@Test func aListItemThatIsNotAString() throws {
    #expect(try diagnostics(of: """
        rules:
          - id: pii.email
            type: regex
            pattern: 'a@b'
            tags: [pii, {kind: mail}]
        """) == ["pii.yaml:5:17: error: an item of `tags` must be a string\n    fix: write it like `tags: [pii]`"])
}

@Test func aMissingPattern() throws {
    #expect(try diagnostics(of: """
        rules:
          - id: pii.email
            type: regex
            flags: [caseless]
        """) == [
            "pii.yaml:2:5: error: regex rule `pii.email` has no `pattern`\n    fix: add a regular expression in single quotes, like `pattern: '\\d{3}-\\d{4}'`"
        ])
}

@Test func anEmptyPattern() throws {
    #expect(try diagnostics(of: """
        rules:
          - id: pii.email
            type: regex
            pattern: ''
        """) == [
            "pii.yaml:4:14: error: `pattern` is empty\n    fix: write the regular expression to look for, like `pattern: '\\d{3}-\\d{4}'`"
        ])
}

@Test func aKeyWithNoValue() throws {
    #expect(try diagnostics(of: """
        rules:
          - id: pii.email
            type: regex
            pattern:
        """) == ["pii.yaml:4:13: error: `pattern` has no value\n    fix: write it like `pattern: '\\d{3}-\\d{4}'`, or remove it"])
}

@Test func anUnknownEnumValueSuggestsTheClosest() throws {
    #expect(try diagnostics(of: """
        rules:
          - id: pii.email
            type: regex
            pattern: 'a@b'
            action: redcat
        """) == ["pii.yaml:5:13: error: unknown action `redcat`\n    fix: did you mean `redact`? (one of: redact, block, log)"])
}

@Test func anUnknownEnumValueFarFromAnyListsThem() throws {
    #expect(try diagnostics(of: """
        rules:
          - id: pii.email
            type: regex
            pattern: 'a@b'
            severity: catastrophic
            normalize: [nfkc, katakana]
        """) == [
            "pii.yaml:5:15: error: unknown severity `catastrophic`\n    fix: write one of: info, low, medium, high, critical",
            "pii.yaml:6:23: error: unknown normalization `katakana`\n    fix: write one of: nfkc, casefold, width, kana",
        ])
}

@Test func aMissingType() throws {
    #expect(try diagnostics(of: """
        rules:
          - id: pii.email
            pattern: 'a@b'
        """) == ["pii.yaml:2:5: error: rule `pii.email` has no `type`\n    fix: add `type: regex`, `type: lexicon` or `type: classifier`"])
}

@Test func anUnknownType() throws {
    #expect(try diagnostics(of: """
        rules:
          - id: pii.email
            type: regexp
            pattern: 'a@b'
        """) == ["pii.yaml:3:11: error: unknown rule type `regexp`\n    fix: did you mean `regex`? (one of: regex, lexicon, classifier)"])
}

@Test func aMissingID() throws {
    #expect(try diagnostics(of: """
        rules:
          - type: regex
            pattern: 'a@b'
        """) == ["pii.yaml:2:5: error: this rule has no `id`\n    fix: add `id:` with a name unique across all packs, like `pii.my-rule`"])
}

@Test func anInvalidID() throws {
    #expect(try diagnostics(of: """
        rules:
          - id: PII Email
            type: regex
            pattern: 'a@b'
        """) == ["pii.yaml:2:9: error: `PII Email` is not a valid rule id\n    fix: use lowercase letters, digits, `.`, `_` and `-`, like `pii-email`"])
}

@Test func aRuleThatIsNotAMapping() throws {
    #expect(try diagnostics(of: """
        rules:
          - pii.email
        """) == [
            "pii.yaml:2:5: error: a rule must be a mapping of keys like `id:` and `type:`\n    fix: start the rule with `- id: …` and put its other keys below `id`, lined up with it"
        ])
}

@Test func rulesThatAreNotAList() throws {
    #expect(try diagnostics(of: """
        rules:
          id: pii.email
        """) == ["pii.yaml:2:3: error: `rules` must be a list of rules\n    fix: start each rule with `- id:` on its own line below `rules:`"])
}

@Test func aFileThatIsAListOfRules() throws {
    #expect(try diagnostics(of: """
        - id: pii.email
          type: regex
        """) == ["pii.yaml:1:1: error: a rule file must be a mapping with `rules:`\n    fix: put this list under a `rules:` line, indented"])
}

@Test func anEmptyFile() throws {
    #expect(try diagnostics(of: "# nothing yet\n") == [
        "pii.yaml:1:1: error: the file is empty\n    fix: list rules under `rules:`, like `rules: [{id: my.rule, type: regex, pattern: 'secret'}]`"
    ])
}

@Test func anInvalidPackName() throws {
    #expect(try diagnostics(of: "pack: Personal Data\nrules: []\n") == [
        "pii.yaml:1:7: error: `Personal Data` is not a valid pack name\n    fix: use lowercase letters, digits, `.`, `_` and `-`, like `personal-data`"
    ])
    #expect(try diagnostics(of: "rules: []\n", file: "My Rules.yaml") == [
        "My Rules.yaml:1:1: error: the file name `My Rules` is not a valid pack name\n    fix: add `pack: my-rules`, or rename the file"
    ])
}

@Test func aLexiconWithoutTerms() throws {
    #expect(try diagnostics(of: """
        rules:
          - id: brand.acme
            type: lexicon
            terms: []
          - id: brand.blank
            type: lexicon
            terms: ["Acme", " "]
        """) == [
            "pii.yaml:4:12: error: lexicon rule `brand.acme` has no terms\n    fix: add `terms: [\"Acme Corp\"]` or `terms_file:` with one term a line",
            "pii.yaml:7:21: error: a term is empty\n    fix: remove it, or write the text it stands for",
        ])
}

@Test func aMissingTermsFileNamesTheResolvedPath() throws {
    let folder = try RuleFolder(["brand/rules.yaml": """
        rules:
          - id: brand.acme
            type: lexicon
            terms_file: lexicons/acme.txt
        """])
    #expect(folder.render(folder.load().diagnostics) == [
        "brand/rules.yaml:4:17: error: cannot read terms file `brand/lexicons/acme.txt`\n    fix: the path is relative to the folder of this rule file; check that the file is there"
    ])
}

@Test func classifierMistakes() throws {
    #expect(try diagnostics(of: """
        rules:
          - id: tox.harassment
            type: classifier
            hook: moderaton
            categories: []
            threshold: 1.5
          - id: tox.hate
            type: classifier
        hooks:
          moderation:
            url: http://127.0.0.1:9090/v1/moderations
            protocol: openai-moderation
        """) == [
            "pii.yaml:5:17: error: `categories` is empty\n    fix: list the categories of the hook's answer that count, like `categories: [harassment]`",
            "pii.yaml:6:16: error: `threshold` must be between 0 and 1\n    fix: write the lowest score that counts, like `threshold: 0.8`",
            "pii.yaml:7:5: error: classifier rule `tox.hate` has no `hook`\n    fix: add `hook:` with the name of a hook defined under `hooks:`",
            "pii.yaml:7:5: error: classifier rule `tox.hate` has no `categories`\n    fix: list the categories of the hook's answer that count, like `categories: [harassment]`",
            "pii.yaml:4:11: error: no hook named `moderaton`\n    fix: did you mean `moderation`?",
        ])
}

@Test func hookMistakes() throws {
    #expect(try diagnostics(of: """
        hooks:
          moderation:
            url: ftp://example.com
            protocol: openai
            timeout_ms: 0
            on_eror: block
          Judge:
            protocol: outguard
        """) == [
            "pii.yaml:3:10: error: `url` must be an http:// or https:// URL\n    fix: write it like `url: http://127.0.0.1:9090/v1/moderations`",
            "pii.yaml:4:15: error: unknown hook protocol `openai`\n    fix: write one of: openai-moderation, outguard",
            "pii.yaml:5:17: error: `timeout_ms` must be between 1 and 60000\n    fix: write how many milliseconds to wait, like `timeout_ms: 300`",
            "pii.yaml:6:5: error: unknown key `on_eror`\n    fix: did you mean `on_error`?",
            "pii.yaml:7:3: error: `Judge` is not a valid hook name\n    fix: use lowercase letters, digits, `.`, `_` and `-`, like `judge`",
            "pii.yaml:7:3: error: hook `Judge` has no `url`\n    fix: add it, like `url: http://127.0.0.1:9090/v1/moderations`",
        ])
}

@Test func wrongScalarKinds() throws {
    #expect(try diagnostics(of: """
        rules:
          - id: pii.email
            type: regex
            pattern: 'a@b'
            enabled: "no"
            description: [a, b]
        """) == [
            "pii.yaml:5:14: error: `enabled` must be true or false\n    fix: write it like `enabled: false`",
            "pii.yaml:6:18: error: `description` must be a string\n    fix: write it like `description: E-mail addresses`",
        ])
}

@Test func testsMistakes() throws {
    #expect(try diagnostics(of: """
        rules:
          - id: pii.email
            type: regex
            pattern: 'a@b'
            tests:
              matches: ["a@b"]
              rewrite:
                - {input: "a@b"}
                - "a@b"
          - id: pii.phone
            type: regex
            pattern: '\\d+'
            tests: ["1"]
        """) == [
            "pii.yaml:6:7: error: unknown key `matches`\n    fix: did you mean `match`?",
            "pii.yaml:8:11: error: this rewrite case has no `output`\n    fix: write it like `rewrite: [{input: \"mail a@b.io now\", output: \"mail [EMAIL] now\"}]`",
            "pii.yaml:9:11: error: a rewrite case must be a mapping with `input` and `output`\n    fix: write it like `rewrite: [{input: \"mail a@b.io now\", output: \"mail [EMAIL] now\"}]`",
            "pii.yaml:13:12: error: `tests` must be a mapping with `match`, `no_match` and `rewrite`\n    fix: write it like `tests: {match: [\"a@b.io\"], no_match: [\"at the office\"]}`",
        ])
}

@Test func textsThatHaveNoEffectAreWarnings() throws {
    let folder = try RuleFolder(["pii.yaml": """
        rules:
          - id: pii.email
            type: regex
            pattern: 'a@b'
            action: block
            replacement: "[EMAIL]"
          - id: pii.phone
            type: regex
            pattern: '\\d+'
            message: "No phone numbers."
        """])
    let set = folder.load()
    #expect(folder.render(set.diagnostics) == [
        "pii.yaml:6:5: warning: `replacement` has no effect: this rule's action is `block`\n    fix: remove it, or set `action: redact`",
        "pii.yaml:10:5: warning: `message` has no effect: this rule's action is `redact`\n    fix: remove it, or set `action: block`",
    ])
    #expect(!set.hasErrors)
    #expect(set.rules.count == 2)
}

@Test func aDuplicateKeyInARule() throws {
    #expect(try diagnostics(of: """
        rules:
          - id: pii.email
            type: regex
            pattern: 'a@b'
            pattern: 'c@d'
        """) == ["pii.yaml:5:5: error: duplicate key `pattern`; the first is on line 4\n    fix: keep one of them: YAML would silently use only one"])
}

@Test func aYAMLSyntaxErrorInARuleFile() throws {
    #expect(try diagnostics(of: """
        rules:
          - id: pii.email
            type: regex
            pattern: @example
        """) == [
            "pii.yaml:4:14: error: YAML syntax: found character that cannot start any token (while scanning for the next token that starts at line 4, column 14)\n    fix: put the value in quotes: a plain value cannot start with `@`, `` ` `` or `%`"
        ])
}

@Test func aMissingPath() throws {
    let folder = try RuleFolder([:])
    #expect(folder.render(folder.load(["nowhere.yaml"]).diagnostics) == [
        "nowhere.yaml:1:1: error: no such file or folder\n    fix: check the path; a relative path starts from the current folder"
    ])
}
