import Foundation
import OutguardTestSupport
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

    @Test func lintWarnsAboutAHookThatDoesNotAnswerAndStillPasses() throws {
        let refusing = try RefusingPort()
        defer { withExtendedLifetime(refusing) {} }
        let url = "http://127.0.0.1:\(refusing.port)/v1/classify"
        let folder = try CLI.folder([
            "tox.yaml": """
                rules:
                  - id: tox.insult
                    type: classifier
                    hook: judge
                    categories: [harassment]
                    action: block
                hooks:
                  judge: {url: "\(url)", protocol: outguard, on_error: block}
                """
        ])
        let result = try CLI.run(["lint", folder.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("ok: 1 file, 1 rule"))
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(result.stderr)")
        let warning = try #require(lines.first)
        #expect(
            warning.contains("tox.yaml:8:3: warning: hook `judge` does not answer at \(url) (unreachable: "),
            "\(warning)")
        #expect(warning.hasSuffix("); classifier rules that use it will follow its on_error (block) until it does"))
        #expect(lines.last == "    fix: start the classifier service or correct the hook's `url`")
    }

    @Test func lintSaysWhichHookItCannotProbe() throws {
        let folder = try CLI.folder([
            "tox.yaml": """
                hooks:
                  judge:
                    url: http://127.0.0.1:1/v1/moderations
                    protocol: openai-moderation
                    headers: {Authorization: "Bearer ${OUTGUARD_TEST_UNSET_KEY}"}
                """
        ])
        let result = try CLI.run(["lint", folder.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "tox.yaml:5:15: warning: hook `judge` is not probed: header `Authorization` reads the environment "
                    + "variable `OUTGUARD_TEST_UNSET_KEY`, which is not set\n    fix: `outguard serve` does not start "
                    + "like this; run lint with the daemon's environment to probe the hook"),
            "\(result.stderr)")
    }

    @Test func benchProxyTimesEachWayAnAnswerArrives() throws {
        let folder = try CLI.folder(["demo.yaml": Self.goodRules])
        let result = try CLI.run(["bench", "proxy", "--rule-paths", folder.path, "--answers", "3", "--passes", "1"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("rules: 1;"), "\(result.stdout)")
        for name in ["non-streamed", "stream, one read", "stream, event a read", "3 findings, no log", "3 findings, logged"] {
            #expect(result.stdout.contains(try Regex("\(name) +[0-9.]+ +[0-9.]+ +[0-9.]+\n")), "\(name): \(result.stdout)")
        }

        let streams = try CLI.run(
            ["bench", "proxy", "--rule-paths", folder.path, "--answers", "3", "--passes", "1", "--case", "stream,"])
        #expect(streams.status == 0, "\(streams.stderr)")
        #expect(streams.stdout.contains("stream, one read") && streams.stdout.contains("stream, event a read"))
        #expect(!streams.stdout.contains("non-streamed") && !streams.stdout.contains("findings"), "\(streams.stdout)")
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
