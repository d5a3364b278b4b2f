import OutguardConfig
import OutguardEngine
import Testing

/// The keys of issue 5 (classifier hooks): a hook's `max_concurrency`, `cache_size` and
/// `headers`, a classifier rule's `stream`, `scope` and `segment_max_chars`, and the lint
/// checks on them. The YAML is inline, so lines and columns can be counted here.

private func diagnostics(of yaml: String) throws -> [String] {
    try RuleFolder(["tox.yaml": yaml]).diagnostics(of: "tox.yaml")
}

@Test func theHookAndClassifierKeysLoad() throws {
    let folder = try RuleFolder(["tox.yaml": """
        rules:
          - id: tox.insult
            type: classifier
            hook: judge
            categories: [harassment]
            action: block
            threshold: 0.7
            stream: async
            scope: full
            segment_max_chars: 200
          - id: tox.hate
            type: classifier
            hook: judge
            categories: [hate]
        hooks:
          judge:
            url: https://api.openai.com/v1/moderations
            protocol: openai-moderation
            max_concurrency: 4
            cache_size: 0
            headers:
              Authorization: "Bearer ${OPENAI_API_KEY}"
              X-Cost: "$$5 ${A_1}${B}"
        """])
    let set = folder.load()
    #expect(set.diagnostics.map(\.severity) == [.warning], "the warning of `stream: async`")
    #expect(set.rules[0].definition.matcher == .classifier(
        hook: "judge", categories: ["harassment"], threshold: 0.7, stream: .async, scope: .full, segmentMaxChars: 200))
    #expect(set.rules[1].definition.matcher == .classifier(
        hook: "judge", categories: ["hate"], threshold: 0.5, stream: .hold, scope: .segment, segmentMaxChars: 400))
    let hook = try #require(set.hooks.first)
    #expect(hook.maxConcurrency == 4)
    #expect(hook.cacheSize == 0)
    #expect(hook.headers.map(\.name) == ["Authorization", "X-Cost"])
    #expect(hook.headers[0].parts == [.text("Bearer "), .variable("OPENAI_API_KEY")])
    #expect(hook.headers[1].parts == [.text("$5 "), .variable("A_1"), .variable("B")])
    #expect(hook.headers[0].location == SourceLocation(file: "\(folder.path)/tox.yaml", line: 22, column: 7))
    #expect(hook.headers[1].value(in: ["A_1": "x", "B": "y"]) == .success("$5 xy"))
    #expect(hook.headers[1].value(in: ["A_1": "x"]) == .failure(HookHeader.MissingVariable(header: "X-Cost", variable: "B")))
}

@Test func hookDefaults() throws {
    let set = try RuleFolder(["tox.yaml": """
        hooks:
          judge: {url: "http://127.0.0.1:9090/v1/classify", protocol: outguard}
        """]).load()
    let hook = try #require(set.hooks.first)
    #expect(hook.maxConcurrency == 16)
    #expect(hook.cacheSize == 10_000)
    #expect(hook.headers.isEmpty)
}

@Test func hookKeyMistakes() throws {
    #expect(try diagnostics(of: """
        hooks:
          judge:
            url: http://127.0.0.1:9090/v1/classify
            protocol: outguard
            max_concurrency: 0
            cache_size: -1
            headers:
              Authorization: "Bearer ${OPENAI KEY}"
              X-Api-Key: "${KEY"
              Content-Type: text/plain
              X-Empty:
              Bad Name: x
              X-Ok: "${}"
        """) == [
            "tox.yaml:5:22: error: `max_concurrency` must be between 1 and 4096\n    fix: write how many calls may be in flight at once, like `max_concurrency: 16`",
            "tox.yaml:6:17: error: `cache_size` must be between 0 and 10000000\n    fix: write how many answers to remember, or 0 for none, like `cache_size: 10000`",
            "tox.yaml:8:32: error: `OPENAI KEY` is not an environment variable name\n    fix: use letters, digits and `_`, not starting with a digit, like `${OPENAI_API_KEY}`",
            "tox.yaml:9:19: error: `${` has no closing `}`\n    fix: write the variable as `${NAME}`, or `$$` for a literal `$`",
            "tox.yaml:10:7: error: Outguard sets `Content-Type` itself\n    fix: remove it; Outguard sends Host, Content-Type, Content-Length and Connection on every call",
            "tox.yaml:11:15: error: header `X-Empty` must have a text value\n    fix: write it like `headers: {Authorization: \"Bearer ${OPENAI_API_KEY}\"}`; `${NAME}` reads an environment variable",
            "tox.yaml:12:7: error: `Bad Name` is not a valid header name\n    fix: use letters, digits and `-`, like `Authorization` or `X-Api-Key`",
            "tox.yaml:13:16: error: `${}` names no variable\n    fix: use letters, digits and `_`, not starting with a digit, like `${OPENAI_API_KEY}`",
        ])
}

@Test func aSecretWrittenIntoTheFileIsAWarning() throws {
    #expect(try diagnostics(of: """
        hooks:
          judge:
            url: https://api.openai.com/v1/moderations
            protocol: openai-moderation
            headers: {Authorization: "Bearer sk-live-123"}
        """) == [
            "tox.yaml:5:30: warning: header `Authorization` holds its secret in the rule file\n    fix: put the secret in an environment variable and write `${NAME}`, like `headers: {Authorization: \"Bearer ${OPENAI_API_KEY}\"}`"
        ])
}

@Test func classifierKeyMistakes() throws {
    #expect(try diagnostics(of: """
        rules:
          - id: tox.insult
            type: classifier
            hook: judge
            categories: [harassment]
            stream: later
            scope: all
            segment_max_chars: 5
        hooks:
          judge: {url: "http://127.0.0.1:9090/v1/classify", protocol: outguard}
        """) == [
            "tox.yaml:6:13: error: unknown `stream` value `later`\n    fix: write one of: hold, async",
            "tox.yaml:7:12: error: unknown `scope` value `all`\n    fix: write one of: segment, full",
            "tox.yaml:8:24: error: `segment_max_chars` must be between 20 and 100000\n    fix: write how many characters a segment holds at most when no sentence ends first, like `segment_max_chars: 400`",
        ])
}

@Test func streamAsyncIsAWarning() throws {
    #expect(try diagnostics(of: """
        rules:
          - id: tox.insult
            type: classifier
            hook: judge
            categories: [harassment]
            action: block
            stream: async
        hooks:
          judge: {url: "http://127.0.0.1:9090/v1/classify", protocol: outguard}
        """) == [
            "tox.yaml:7:13: warning: with `stream: async` a streamed answer can show text before this rule blocks it\n    fix: keep it only where speed matters more than a brief flash of text; `stream: hold` shows nothing unchecked"
        ])
}

@Test func aRedactionCannotWaitForALateVerdict() throws {
    #expect(try diagnostics(of: """
        rules:
          - id: tox.insult
            type: classifier
            hook: judge
            categories: [harassment]
            action: redact
            stream: async
          - id: tox.hate
            type: classifier
            hook: judge
            categories: [hate]
            scope: full
          - id: tox.threat
            type: classifier
            hook: judge
            categories: [violence]
            action: log
            stream: async
            scope: full
        hooks:
          judge: {url: "http://127.0.0.1:9090/v1/classify", protocol: outguard}
        """) == [
            "tox.yaml:7:13: error: `stream: async` cannot go with `action: redact`: a redaction must happen before the text is shown, and `async` shows it first\n    fix: write `stream: hold`, or `action: block` or `action: log`",
            "tox.yaml:12:12: error: `scope: full` cannot go with `action: redact` (the default action): the verdict on the whole text comes after a streamed answer was shown, so it can block or log the answer but not redact it\n    fix: write `scope: segment`, or `action: block` or `action: log`",
            "tox.yaml:18:13: warning: with `stream: async` a streamed answer can show text before this rule blocks it\n    fix: keep it only where speed matters more than a brief flash of text; `stream: hold` shows nothing unchecked",
        ])
}

@Test func aMistypedActionIsNotTakenForARedaction() throws {
    #expect(try diagnostics(of: """
        rules:
          - id: tox.insult
            type: classifier
            hook: judge
            categories: [harassment]
            action: blok
            scope: full
        hooks:
          judge: {url: "http://127.0.0.1:9090/v1/classify", protocol: outguard}
        """) == [
            "tox.yaml:6:13: error: unknown action `blok`\n    fix: did you mean `block`? (one of: redact, block, log)"
        ])
}

@Test func unknownModerationCategoriesAreWarnings() throws {
    let folder = try RuleFolder([
        "tox.yaml": """
            rules:
              - id: tox.insult
                type: classifier
                hook: moderation
                categories: [harassment, harasment, profanity]
              - id: tox.custom
                type: classifier
                hook: judge
                categories: [profanity]
            """,
        "hooks.yaml": """
            hooks:
              moderation: {url: "http://127.0.0.1:9090/v1/moderations", protocol: openai-moderation}
              judge: {url: "http://127.0.0.1:9090/v1/classify", protocol: outguard}
            """,
    ])
    #expect(folder.render(folder.load().diagnostics) == [
        "tox.yaml:5:30: warning: `harasment` is not a category of OpenAI's moderation API (hook `moderation` speaks `openai-moderation`)\n    fix: did you mean `harassment`? (a compatible server that scores `harasment` itself can ignore this)",
        "tox.yaml:5:41: warning: `profanity` is not a category of OpenAI's moderation API (hook `moderation` speaks `openai-moderation`)\n    fix: OpenAI's categories are: harassment, harassment/threatening, hate, hate/threatening, illicit, illicit/violent, self-harm, self-harm/intent, self-harm/instructions, sexual, sexual/minors, violence, violence/graphic; a compatible server that scores `profanity` itself can ignore this",
    ])
}
