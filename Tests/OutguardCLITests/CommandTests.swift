import Foundation
import Testing

@Suite struct CommandTests {
    static let goodRules = """
        pack: demo
        rules:
          - id: demo.email
            type: regex
            pattern: '[a-z]+@[a-z]+\\.[a-z]+'
            replacement: "[EMAIL]"
            tests:
              match: ["write a@b.io"]
              no_match: ["at the office"]
              rewrite:
                - {input: "mail a@b.io now", output: "mail [EMAIL] now"}
        """

    @Test func lintAcceptsValidRules() throws {
        let folder = try CLI.folder(["demo.yaml": Self.goodRules])
        let result = try CLI.run(["lint", folder.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("ok: 1 file, 1 rule"))
    }

    @Test func lintRejectsBadRulesWithFileLineColumn() throws {
        let folder = try CLI.folder(["bad.yaml": "pack: bad\nrules:\n  - id: bad.one\n    type: regex\n    pattern: 'ab(c'\n"])
        let result = try CLI.run(["lint", folder.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("bad.yaml:5:19: error:"), "\(result.stderr)")
    }

    @Test func testCommandPassesAndFails() throws {
        let passing = try CLI.folder(["demo.yaml": Self.goodRules])
        let ok = try CLI.run(["test", passing.path])
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        #expect(ok.stdout.contains("PASS demo.email"))

        let wrong = Self.goodRules.replacingOccurrences(of: "output: \"mail [EMAIL] now\"", with: "output: \"mail [MAIL] now\"")
        let failing = try CLI.folder(["demo.yaml": wrong])
        let failed = try CLI.run(["test", failing.path])
        #expect(failed.status == 1)
        #expect(failed.stdout.contains("FAIL demo.email"))
        #expect(failed.stdout.contains("expected \"mail [MAIL] now\", got \"mail [EMAIL] now\""), "\(failed.stdout)")
    }

    @Test func scanPrintsTheFilteredTextAndFindings() throws {
        let folder = try CLI.folder(["demo.yaml": Self.goodRules])
        let result = try CLI.run(["scan", "--rules", folder.path, "-"], stdin: "mail a@b.io now\n")
        #expect(result.status == 0)
        #expect(result.stdout == "mail [EMAIL] now\n")
        #expect(result.stderr.contains("demo.email redact"))
    }

    @Test func scanJSONAndStreamAgree() throws {
        let text = "mail a@b.io now, and c@d.io later"
        let folder = try CLI.folder(["demo.yaml": Self.goodRules])
        let whole = try CLI.run(["scan", "--rules", folder.path, "--json", "-"], stdin: text)
        let streamed = try CLI.run(["scan", "--rules", folder.path, "--json", "--stream", "-"], stdin: text)
        #expect(whole.status == 0 && streamed.status == 0)
        #expect(whole.stdout == streamed.stdout)
        let json = try JSONSerialization.jsonObject(with: Data(whole.stdout.utf8)) as? [String: Any]
        #expect(json?["text"] as? String == "mail [EMAIL] now, and [EMAIL] later")
        #expect(json?["outcome"] as? String == "redact")
        #expect((json?["findings"] as? [[String: Any]])?.count == 2)
    }

    @Test func unknownRuleForTestIsAnError() throws {
        let folder = try CLI.folder(["demo.yaml": Self.goodRules])
        let result = try CLI.run(["test", folder.path, "--rule", "nope.nothing"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("no rule has the id nope.nothing"))
    }
}

@Test func scanSaysWhichFileItCannotRead() throws {
    let result = try CLI.run(["scan", "--rules", "rules", "no-such-answer.txt"])
    #expect(result.status != 0)
    #expect(result.stderr.contains("cannot read no-such-answer.txt: no such file"), "\(result.stderr)")
}
