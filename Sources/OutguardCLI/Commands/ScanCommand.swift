import ArgumentParser
import Foundation
import OutguardEngine

/// `outguard scan`: filters a text with the rules and shows what they did.
struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Filter a text with the rules and print the result.",
        discussion: """
            Prints the filtered text (or, when a rule blocks it, the message the user
            would see); findings go to standard error. With --json, prints the whole
            verdict. With --stream, feeds the text through the streaming filter in small
            pieces, as a streamed answer would arrive: the result is the same.

            Examples:
              echo 'mail me at taro@example.co.jp' | outguard scan --rules rules/
              outguard scan --rules rules/pii.yaml answer.txt --json
              outguard scan --rules rules/ --stream answer.txt
            """)

    @Option(help: "Rule files or folders.")
    var rules: [String] = ["rules"]

    @Argument(help: "A text file, or - for standard input.")
    var input: String = "-"

    @Flag(help: "Print the verdict as JSON.")
    var json = false

    @Flag(help: "Feed the text through the streaming filter in pieces of 4 to 20 characters.")
    var stream = false

    func run() throws {
        guard let loaded = RuleLoading.load(rules) else { throw ExitCode.failure }
        let text = try readInput()
        let verdict = stream ? Self.streamed(text, policy: loaded.policy) : loaded.policy.evaluate(text)
        if json {
            Terminal.print(try VerdictJSON.encode(verdict, ruleset: loaded.policy.ruleset))
            return
        }
        Terminal.print(verdict.shownText)
        for finding in verdict.findings {
            let effect = finding.mode == .shadow ? "shadow \(finding.action.rawValue)" : finding.action.rawValue
            let kind = finding.kind == .engineError ? " engine_error: \(finding.detail ?? "")" : ""
            Terminal.error("\(finding.ruleID) \(effect) chars \(finding.characterSpan.lowerBound)..<\(finding.characterSpan.upperBound) \(String(reflecting: finding.matchedText))\(kind)")
        }
        if let blocker = verdict.blockedBy { Terminal.error("blocked by \(blocker.ruleID)") }
    }

    private func readInput() throws -> String {
        let data: Data
        if input == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else if let contents = FileManager.default.contents(atPath: input) {
            data = contents
        } else {
            throw ValidationError("cannot read \(input): no such file, or it is not readable (use - for standard input)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ValidationError("\(input == "-" ? "standard input" : input) is not UTF-8 text")
        }
        // Files end with a newline that is not part of the answer.
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }

    /// Runs the text through a `StreamFilter` in pieces and assembles the same
    /// verdict a whole-text evaluation gives.
    static func streamed(_ text: String, policy: Policy) -> Verdict {
        var filter = policy.makeStreamFilter()
        var released = ""
        var findings: [Finding] = []
        var blockedBy: Finding?
        for piece in TextSplitter.pieces(of: text, sizes: 4...20, seed: 1) + [nil] {
            let output = piece.map { filter.feed($0) } ?? filter.finish()
            released += output.text
            findings += output.findings
            blockedBy = blockedBy ?? output.blockedBy
        }
        return Verdict(text: released, blockedBy: blockedBy, message: blockedBy.map(policy.message(for:)), findings: findings)
    }
}
