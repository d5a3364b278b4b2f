import Foundation
import OutguardConfig
import OutguardEngine
import PropertyBased
import Testing

@testable import OutguardCLI

/// The rule packs in rules/ and the labelled corpus in corpus/, against the real engine.
@Suite struct ShippedPacksTests {
    struct Example: Decodable {
        var text: String
        var expect: [String]
    }

    static let ruleSet = RuleSetLoader.load(paths: [CLI.root.appendingPathComponent("rules").path])

    static func shippedPolicy() throws -> Policy {
        let compiled = ruleSet.compile()
        #expect(compiled.diagnostics.filter { $0.severity == .error }.isEmpty, "\(compiled.diagnostics)")
        return try #require(compiled.policy)
    }

    static let corpus: [Example] = {
        let url = CLI.root.appendingPathComponent("corpus/labelled.jsonl")
        let lines = (try? String(contentsOf: url, encoding: .utf8))?.split(separator: "\n") ?? []
        return lines.compactMap { try? JSONDecoder().decode(Example.self, from: Data($0.utf8)) }
    }()

    @Test func everyShippedRuleHasPassingTests() throws {
        let policy = try Self.shippedPolicy()
        #expect(Self.ruleSet.rules.count >= 19)
        for rule in Self.ruleSet.rules {
            let report = RuleTestRunner.run(rule, ruleset: policy.ruleset)
            #expect(report.status == .passed, "\(rule.definition.id): \(report.status)")
        }
    }

    @Test func corpusFiresExactlyTheExpectedRules() throws {
        let policy = try Self.shippedPolicy()
        #expect(Self.corpus.count >= 300)
        for example in Self.corpus {
            let fired = Set(policy.evaluate(example.text).findings.filter { $0.kind == .match }.map(\.ruleID))
            #expect(fired == Set(example.expect), "\(example.text)")
        }
    }

    @Test func streamingAnyCorpusTextGivesTheWholeTextVerdict() async throws {
        let policy = try Self.shippedPolicy()
        let texts = Self.corpus.map(\.text)
        await propertyCheck(count: 400, input: Gen.element(of: texts), Gen.int(in: 1...20).array(of: 1...30)) { text, sizes in
            guard let text else { return }
            let whole = policy.evaluate(text)
            let (released, blockedBy) = Self.stream(text, through: policy, sizes: sizes)
            #expect(released == whole.text, "\(text) / \(sizes)")
            #expect(blockedBy == whole.blockedBy, "\(text) / \(sizes)")
        }
    }

    /// Pieces that make rules start, stop and almost match, and characters whose
    /// normalization depends on the next one.
    static let adversarialPieces = [
        "a", "Z", "0", "9", "４", "1234", "090", "-", "－", " ", "@", ".", "example.jp", "sk-", "proj-",
        "AbCdEfGhIjKlMnOp", "AKIA", "ghp_", "xoxb-", "eyJ", "password=", "パスワード：", "\"", "ば", "バ", "カ",
        "ｶ", "ﾞ", "ﾊ", "ンス", "クソ", "damn", "DAMN", "Acme Corp", "アクメ", "\u{200B}", "\u{301}", "\r", "\n",
        "-----BEGIN PRIVATE KEY-----", "MIIEvQIBADANBgkqhkiG", "。", "です", "+81", "4111 1111 1111 1111",
    ]

    @Test func streamingAdversarialTextGivesTheWholeTextVerdict() async throws {
        let policy = try Self.shippedPolicy()
        let texts = Gen.element(of: Self.adversarialPieces).array(of: 1...40)
        await propertyCheck(count: 300, input: texts, Gen.int(in: 1...9).array(of: 1...10)) { pieces, sizes in
            let text = pieces.compactMap { $0 }.joined()
            let whole = policy.evaluate(text)
            let (released, blockedBy) = Self.stream(text, through: policy, sizes: sizes)
            #expect(released == whole.text, "\(String(reflecting: text)) / \(sizes)")
            #expect(blockedBy == whole.blockedBy, "\(String(reflecting: text)) / \(sizes)")
        }
    }

    @Test func everyTextIsStreamedOneCharacterAtATime() throws {
        let policy = try Self.shippedPolicy()
        for example in Self.corpus {
            let whole = policy.evaluate(example.text)
            let (released, blockedBy) = Self.stream(example.text, through: policy, sizes: [1])
            #expect(released == whole.text, "\(example.text)")
            #expect(blockedBy == whole.blockedBy, "\(example.text)")
        }
    }

    @Test func schemaAndLoaderAcceptTheSameKeys() throws {
        let data = try Data(contentsOf: CLI.root.appendingPathComponent("rules/schema.json"))
        let described = Self.propertyNames(in: try JSONSerialization.jsonObject(with: data))
        let accepted = RuleFileSchema.topLevelKeys.union(RuleFileSchema.ruleKeys).union(RuleFileSchema.testsKeys)
            .union(RuleFileSchema.rewriteKeys).union(RuleFileSchema.hookKeys)
        #expect(accepted.subtracting(described).isEmpty, "keys the loader accepts but rules/schema.json does not describe")
        #expect(described.subtracting(accepted).isEmpty, "keys rules/schema.json describes but the loader refuses")
    }

    /// Feeds `text` in pieces of `sizes` Unicode scalars (cycling), stopping at a block.
    private static func stream(_ text: String, through policy: Policy, sizes: [Int]) -> (String, Finding?) {
        var filter = policy.makeStreamFilter()
        var released = ""
        var rest = Substring(text).unicodeScalars
        var index = 0
        while !rest.isEmpty {
            let size = sizes[index % sizes.count]
            let output = filter.feed(String(String.UnicodeScalarView(rest.prefix(size))))
            released += output.text
            if let blocker = output.blockedBy { return (released, blocker) }
            rest = rest.dropFirst(size)
            index += 1
        }
        let last = filter.finish()
        return (released + last.text, last.blockedBy)
    }

    /// Every name under any `properties` object of a JSON Schema.
    private static func propertyNames(in node: Any) -> Set<String> {
        var names = Set<String>()
        if let object = node as? [String: Any] {
            if let properties = object["properties"] as? [String: Any] { names.formUnion(properties.keys) }
            for value in object.values { names.formUnion(propertyNames(in: value)) }
        } else if let array = node as? [Any] {
            for value in array { names.formUnion(propertyNames(in: value)) }
        }
        return names
    }
}
