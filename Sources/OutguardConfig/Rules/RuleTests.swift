/// The examples a rule carries under `tests:`, which `outguard test` checks.
public struct RuleTests: Sendable, Hashable {
    /// One example text and where it was written.
    public struct TestText: Sendable, Hashable {
        public var text: String
        public var location: SourceLocation

        public init(text: String, location: SourceLocation) {
            self.text = text
            self.location = location
        }
    }

    /// A text and what the rule must turn it into.
    public struct RewriteCase: Sendable, Hashable {
        public var input: String
        public var output: String
        public var location: SourceLocation

        public init(input: String, output: String, location: SourceLocation) {
            self.input = input
            self.output = output
            self.location = location
        }
    }

    /// Texts the rule must fire on.
    public var match: [TestText]
    /// Texts the rule must not fire on.
    public var noMatch: [TestText]
    public var rewrite: [RewriteCase]

    public init(match: [TestText] = [], noMatch: [TestText] = [], rewrite: [RewriteCase] = []) {
        self.match = match
        self.noMatch = noMatch
        self.rewrite = rewrite
    }

    public var isEmpty: Bool { match.isEmpty && noMatch.isEmpty && rewrite.isEmpty }
}
