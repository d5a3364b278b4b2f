import OutguardEngine

/// Reads the keys that belong to one rule type: what the rule looks for and how
/// (pattern and flags, terms, or a classifier hook), recording where each was written.
struct MatcherParser {
    struct Output {
        var matcher: RuleDefinition.Matcher?
        var normalization: Normalization = []
        var validator: Validator?
        /// The hook a classifier names; whether it exists is known only once all files are read.
        var hook: YAMLScalar?
        /// The categories a classifier asks for, which lint checks against the hook's protocol.
        var categories: [YAMLScalar] = []
    }

    /// A classifier segment shorter than this costs a round trip per word; longer, the
    /// classifier's own input limit.
    static let segmentMaxCharsRange = 20...100_000

    /// "rule `pii.email`", for messages.
    let ruleName: String
    /// The rule file, which `terms_file` is relative to.
    let file: String
    /// The rule's action, which decides what a classifier's timing allows; nil when it is
    /// written wrong (its own error says so).
    let action: RuleAction?

    func parse(
        _ type: RuleType, _ fields: Fields, reader: inout FieldReader, termsFiles: inout TermsFileReader,
        places: inout LoadedRule.Places
    ) -> Output {
        var output = Output()
        switch type {
        case .regex:
            output.matcher = regex(fields, reader: &reader, places: &places)
            output.validator = reader.choice(fields, "validate", noun: "validator", options: Validator.named)
            places.fields[.validator] = fields["validate"]?.location
        case .lexicon:
            output.matcher = lexicon(fields, reader: &reader, termsFiles: &termsFiles, places: &places)
        case .classifier:
            output.hook = reader.string(fields, "hook")
            output.matcher = classifier(fields, hook: output.hook, reader: &reader, places: &places)
            output.categories = (fields["categories"]?.sequence?.items ?? []).compactMap(\.scalar)
        }
        if RuleFileSchema.typeKeys(type).contains("normalize") {
            let names = reader.choices(fields, "normalize", noun: "normalization", options: Normalization.named)
            output.normalization = names?.reduce(into: []) { $0.formUnion($1) } ?? []
            places.fields[.normalize] = fields["normalize"]?.location
        }
        return output
    }

    private func regex(_ fields: Fields, reader: inout FieldReader, places: inout LoadedRule.Places) -> RuleDefinition.Matcher? {
        let flags = reader.choices(fields, "flags", noun: "flag", options: RegexFlag.named)
        guard fields.has("pattern") else {
            reader.error(at: fields.location, "regex \(ruleName) has no `pattern`",
                         fix: "add a regular expression in single quotes, like `\(RuleFileSchema.example(for: "pattern"))`")
            return nil
        }
        guard let pattern = reader.string(fields, "pattern") else { return nil }
        places.pattern = pattern
        guard !pattern.value.isEmpty else {
            reader.error(at: pattern.location, "`pattern` is empty",
                         fix: "write the regular expression to look for, like `\(RuleFileSchema.example(for: "pattern"))`")
            return nil
        }
        return .regex(pattern: pattern.value, flags: Set(flags ?? []))
    }

    private func lexicon(
        _ fields: Fields, reader: inout FieldReader, termsFiles: inout TermsFileReader, places: inout LoadedRule.Places
    ) -> RuleDefinition.Matcher? {
        let errorsBefore = reader.errorCount
        var terms = nonEmpty(reader.strings(fields, "terms") ?? [], called: "a term", reader: &reader)
            .map { TermsFileReader.Term(text: $0.value, location: $0.location) }
        if let termsFile = reader.string(fields, "terms_file") {
            terms += termsFromFile(termsFile, reader: &reader, termsFiles: &termsFiles)
        }
        let exceptions = nonEmpty(reader.strings(fields, "exceptions") ?? [], called: "an exception", reader: &reader)
        places.terms = terms.map(\.location)
        places.exceptions = exceptions.map(\.location)
        places.fields[.terms] = fields["terms"]?.location ?? fields["terms_file"]?.location
        places.fields[.exceptions] = fields["exceptions"]?.location

        guard reader.errorCount == errorsBefore else { return nil }
        guard !terms.isEmpty else {
            reader.error(at: places.fields[.terms] ?? fields.location, "lexicon \(ruleName) has no terms",
                         fix: "add `\(RuleFileSchema.example(for: "terms"))` or `terms_file:` with one term a line")
            return nil
        }
        return .lexicon(terms: terms.map(\.text), exceptions: exceptions.map(\.value))
    }

    private func termsFromFile(
        _ value: YAMLScalar, reader: inout FieldReader, termsFiles: inout TermsFileReader
    ) -> [TermsFileReader.Term] {
        let path = TermsFileReader.resolve(value.value, relativeTo: file)
        switch termsFiles.terms(at: path) {
        case .success(let terms):
            return terms
        case .failure(.unreadable):
            reader.error(at: value.location, "cannot read terms file `\(path)`",
                         fix: "the path is relative to the folder of this rule file; check that the file is there")
        case .failure(.notUTF8):
            reader.error(at: value.location, "terms file `\(path)` is not UTF-8 text", fix: "save it as UTF-8")
        }
        return []
    }

    private func classifier(
        _ fields: Fields, hook: YAMLScalar?, reader: inout FieldReader, places: inout LoadedRule.Places
    ) -> RuleDefinition.Matcher? {
        places.fields[.hook] = hook?.location
        if !fields.has("hook") {
            reader.error(at: fields.location, "classifier \(ruleName) has no `hook`",
                         fix: "add `hook:` with the name of a hook defined under `hooks:`")
        }
        let categories = nonEmpty(reader.strings(fields, "categories") ?? [], called: "a category", reader: &reader)
        places.categories = categories.map(\.location)
        places.fields[.categories] = fields["categories"]?.location
        let categoriesFix = "list the categories of the hook's answer that count, like `\(RuleFileSchema.example(for: "categories"))`"
        if let written = fields["categories"], categories.isEmpty, written.sequence?.items.isEmpty ?? false {
            reader.error(at: written.location, "`categories` is empty", fix: categoriesFix)
        } else if !fields.has("categories") {
            reader.error(at: fields.location, "classifier \(ruleName) has no `categories`", fix: categoriesFix)
        }
        let threshold = reader.number(fields, "threshold")
        places.fields[.threshold] = fields["threshold"]?.location
        if let threshold, !(0...1).contains(threshold), let written = fields["threshold"] {
            reader.error(at: written.location, "`threshold` must be between 0 and 1",
                         fix: "write the lowest score that counts, like `\(RuleFileSchema.example(for: "threshold"))`")
        }
        let stream = reader.choice(fields, "stream", noun: "`stream` value", options: ClassifierStream.named)
        if stream == .async, let written = fields["stream"] {
            if action == .redact {
                reader.error(at: written.location,
                             "`stream: async` cannot go with \(redaction(fields)): a redaction must happen before the text is shown, and `async` shows it first",
                             fix: "write `stream: hold`, or `action: block` or `action: log`")
            } else {
                reader.warning(at: written.location,
                               "with `stream: async` a streamed answer can show text before this rule blocks it",
                               fix: "keep it only where speed matters more than a brief flash of text; `stream: hold` shows nothing unchecked")
            }
        }
        let scope = reader.choice(fields, "scope", noun: "`scope` value", options: ClassifierScope.named)
        if scope == .full, action == .redact, let written = fields["scope"] {
            reader.error(at: written.location,
                         "`scope: full` cannot go with \(redaction(fields)): the verdict on the whole text comes after a streamed answer was shown, so it can block or log the answer but not redact it",
                         fix: "write `scope: segment`, or `action: block` or `action: log`")
        }
        let segmentMaxChars = reader.integer(fields, "segment_max_chars")
        if let segmentMaxChars, !Self.segmentMaxCharsRange.contains(segmentMaxChars), let written = fields["segment_max_chars"] {
            reader.error(at: written.location,
                         "`segment_max_chars` must be between \(Self.segmentMaxCharsRange.lowerBound) and \(Self.segmentMaxCharsRange.upperBound)",
                         fix: "write how many characters a segment holds at most when no sentence ends first, like `\(RuleFileSchema.example(for: "segment_max_chars"))`")
        }
        guard let hook, !categories.isEmpty else { return nil }
        return .classifier(
            hook: hook.value, categories: categories.map(\.value), threshold: threshold ?? 0.5, stream: stream ?? .hold,
            scope: scope ?? .segment, segmentMaxChars: segmentMaxChars ?? RuleDefinition.defaultSegmentMaxChars)
    }

    /// "`action: redact`", saying so when the rule does not write it: redact is the
    /// default, and an author who never wrote it would not look for it.
    private func redaction(_ fields: Fields) -> String {
        fields.has("action") ? "`action: redact`" : "`action: redact` (the default action)"
    }

    /// Reports blank items (a term of spaces would match everywhere) and keeps the rest.
    private func nonEmpty(_ items: [YAMLScalar], called noun: String, reader: inout FieldReader) -> [YAMLScalar] {
        items.filter { item in
            guard item.value.allSatisfy(\.isWhitespace) else { return true }
            reader.error(at: item.location, "\(noun) is empty", fix: "remove it, or write the text it stands for")
            return false
        }
    }
}
