public import OutguardEngine

/// A rule as read from a rule file: what the engine compiles, plus what only the file knows —
/// whether it is on, its examples, and where each part was written.
public struct LoadedRule: Sendable {
    public var definition: RuleDefinition
    /// Disabled rules are checked like the others but left out of policies.
    public var enabled: Bool
    public var tests: RuleTests
    /// Where the rule's `id` value was written.
    public var location: SourceLocation
    /// The rule file the rule came from.
    public var file: String
    /// Where the parts the engine may complain about were written.
    var places: Places

    /// Where a rule's parts were written, so that an engine problem can point at them.
    struct Places: Sendable {
        /// The values of `validate`, `normalize`, `hook`, `threshold` and the like.
        var fields: [RuleProblem.Field: SourceLocation] = [:]
        var pattern: YAMLScalar?
        /// One per term: inline terms first, then those of `terms_file`.
        var terms: [SourceLocation] = []
        var exceptions: [SourceLocation] = []
        var categories: [SourceLocation] = []
    }

    init(definition: RuleDefinition, enabled: Bool, tests: RuleTests, location: SourceLocation, places: Places) {
        self.definition = definition
        self.enabled = enabled
        self.tests = tests
        self.location = location
        self.file = location.file
        self.places = places
    }

    /// Where `field` was written; with `termIndex`, the term, exception or category itself.
    /// Falls back to the rule's `id` for parts the file does not have.
    public func location(of field: RuleProblem.Field, termIndex: Int?) -> SourceLocation {
        let items: [SourceLocation] = switch field {
        case .terms: places.terms
        case .exceptions: places.exceptions
        case .categories: places.categories
        default: []
        }
        if let termIndex, items.indices.contains(termIndex) { return items[termIndex] }
        if field == .pattern, let pattern = places.pattern { return pattern.location }
        return places.fields[field] ?? location
    }

    /// Where the pattern's character at `offset` (in Unicode scalars, as the engine counts
    /// pattern offsets) was written: the column inside a quoted value, the line and column
    /// inside a `|` block.
    public func location(ofPatternOffset offset: Int) -> SourceLocation {
        places.pattern?.location(ofCharacterOffset: offset) ?? location
    }
}
