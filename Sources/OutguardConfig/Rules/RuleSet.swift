public import OutguardEngine

/// Everything loaded from a list of rule files and folders, with every problem found in
/// them. Loading never stops at the first problem: `diagnostics` holds all of them.
public struct RuleSet: Sendable {
    public var files: [RuleFile]
    public var diagnostics: [Diagnostic]
    /// `sha256:` and the hex digest of every file read (rule files and terms files), in path
    /// order; the same rules give the same value wherever they are installed.
    public var ruleset: String
    /// The paths of every file read (rule files and terms files): what a running daemon
    /// watches for changes.
    public var sources: [String]

    public init(files: [RuleFile], diagnostics: [Diagnostic], ruleset: String, sources: [String] = []) {
        self.files = files
        self.diagnostics = diagnostics
        self.ruleset = ruleset
        self.sources = sources
    }

    /// Every rule that loaded, in file order.
    public var rules: [LoadedRule] { files.flatMap(\.rules) }
    public var enabledRules: [LoadedRule] { rules.filter(\.enabled) }
    /// What a policy compiles; `RuleProblem.ruleIndex` counts in this list.
    public var enabledDefinitions: [RuleDefinition] { enabledRules.map(\.definition) }
    /// The hooks of all files.
    public var hooks: [HookDefinition] { files.flatMap(\.hooks) }
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// The engine's compile problems placed at file:line:col, when the policy was built from
    /// `enabledDefinitions`.
    public func diagnostics(for error: PolicyError) -> [Diagnostic] {
        Self.diagnostics(for: error, in: enabledRules)
    }

    /// The engine's compile problems placed at file:line:col, when the policy was built from
    /// `rules.map(\.definition)`: a pattern that does not compile points at its bad spot.
    public static func diagnostics(for error: PolicyError, in rules: [LoadedRule]) -> [Diagnostic] {
        error.problems.map { problem in
            guard rules.indices.contains(problem.ruleIndex) else {
                return Diagnostic(
                    .error, at: SourceLocation(file: "<rules>", line: 1, column: 1),
                    "rule #\(problem.ruleIndex): \(problem.message)")
            }
            let rule = rules[problem.ruleIndex]
            let location = if problem.field == .pattern, let offset = problem.patternOffset {
                rule.location(ofPatternOffset: offset)
            } else {
                rule.location(of: problem.field, termIndex: problem.termIndex)
            }
            return Diagnostic(.error, at: location, problem.message)
        }
    }
}
