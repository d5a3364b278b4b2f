/// One rule as its author declared it, before compilation.
///
/// The engine knows nothing of YAML: `OutguardConfig` turns rule files into these
/// values, and `Policy` compiles a list of them once.
public struct RuleDefinition: Sendable, Hashable {
    /// What a rule looks for.
    public enum Matcher: Sendable, Hashable {
        /// A PCRE2 pattern (UTF and UCP always on).
        case regex(pattern: String, flags: Set<RegexFlag>)
        /// Terms matched on normalized text; a hit inside one of `exceptions` does not count.
        case lexicon(terms: [String], exceptions: [String])
        /// A classifier service asked through a named hook (evaluated by the proxy's hooks):
        /// it fires when any of `categories` scores at least `threshold`. `stream`, `scope`
        /// and `segmentMaxChars` say how a response is cut into the texts sent.
        case classifier(
            hook: String, categories: [String], threshold: Double, stream: ClassifierStream = .hold,
            scope: ClassifierScope = .segment, segmentMaxChars: Int = RuleDefinition.defaultSegmentMaxChars)
    }

    public var id: String
    public var pack: String
    public var description: String?
    public var matcher: Matcher
    public var normalization: Normalization
    public var validator: Validator?
    public var action: RuleAction
    /// What a redaction writes instead of the match.
    public var replacement: String
    /// What the user sees instead of a blocked answer.
    public var message: String?
    public var severity: Severity
    public var mode: RuleMode
    public var tags: [String]

    public static let defaultReplacement = "[REDACTED]"
    public static let defaultBlockMessage = "This response was withheld by a content policy."

    public init(
        id: String, pack: String, description: String? = nil, matcher: Matcher,
        normalization: Normalization = [], validator: Validator? = nil,
        action: RuleAction = .redact, replacement: String = RuleDefinition.defaultReplacement,
        message: String? = nil, severity: Severity = .medium, mode: RuleMode = .enforce,
        tags: [String] = []
    ) {
        self.id = id
        self.pack = pack
        self.description = description
        self.matcher = matcher
        self.normalization = normalization
        self.validator = validator
        self.action = action
        self.replacement = replacement
        self.message = message
        self.severity = severity
        self.mode = mode
        self.tags = tags
    }
}

public enum RuleAction: String, Sendable, Hashable, CaseIterable, Codable {
    case redact, block, log
}

public enum RuleMode: String, Sendable, Hashable, CaseIterable, Codable {
    /// Apply the action.
    case enforce
    /// Record what the rule would have done and change nothing.
    case shadow
}

public enum Severity: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    case info, low, medium, high, critical

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

public enum RegexFlag: String, Sendable, Hashable, CaseIterable, Codable {
    case caseless, multiline, dotall, extended
}

/// What counts as "the same text" for a rule. Zero-width and bidi control
/// characters are always dropped, whatever the set.
public struct Normalization: OptionSet, Sendable, Hashable, Codable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Unicode compatibility composition: `０９０` is `090`, `ｶﾞ` is `ガ`, `ﬁ` is `fi`.
    public static let nfkc = Normalization(rawValue: 1 << 0)
    /// Case-insensitive: `ACME` is `acme`.
    public static let casefold = Normalization(rawValue: 1 << 1)
    /// Full-width and half-width forms are their ordinary forms (including half-width katakana).
    public static let width = Normalization(rawValue: 1 << 2)
    /// Hiragana is katakana: `ばか` is `バカ`.
    public static let kana = Normalization(rawValue: 1 << 3)

    /// The names rule files use, in a fixed order.
    public static let named: [(name: String, value: Normalization)] = [
        ("nfkc", .nfkc), ("casefold", .casefold), ("width", .width), ("kana", .kana),
    ]

    public init?(name: String) {
        guard let entry = Self.named.first(where: { $0.name == name }) else { return nil }
        self = entry.value
    }

    public var names: [String] { Self.named.filter { contains($0.value) }.map(\.name) }

    /// The smallest set that normalizes the same way: NFKC already folds full-width and
    /// half-width forms, so `width` adds nothing to it. Rules whose sets agree once
    /// reduced share one normalized copy of the text.
    var reduced: Normalization { contains(.nfkc) ? subtracting(.width) : self }
}

/// A check that runs after a regex match; a failed check means "no match".
public enum Validator: String, Sendable, Hashable, CaseIterable, Codable {
    /// Payment card numbers (ISO/IEC 7812 check digit).
    case luhn
    /// Japanese Individual Number (My Number), 12 digits with its check digit.
    case mynumber
    /// International Bank Account Number (ISO 13616, mod 97).
    case iban
}
