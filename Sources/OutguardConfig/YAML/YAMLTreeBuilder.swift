/// Turns libyaml events into a `YAMLDocument`: resolves aliases (within a budget), reports
/// duplicate keys, and gives every node its place in the file.
struct YAMLTreeBuilder {
    /// A problem after which the rest of the file cannot be trusted.
    private struct Stop: Error {
        var diagnostic: Diagnostic
    }

    /// A sequence or mapping whose end has not been read yet.
    private struct OpenCollection {
        var isMapping: Bool
        var anchor: String?
        var location: SourceLocation
        var items: [YAMLNode] = []
        var entries: [YAMLMapping.Entry] = []
        var pendingKey: YAMLNode?
        /// The value being read belongs to a duplicate key and is dropped.
        var skipsValue = false
        var keyLines: [String: Int] = [:]
        /// Nodes this collection expands to, itself included.
        var size = 1
        /// Levels of the deepest path below it, itself included.
        var height = 1

        var node: YAMLNode {
            isMapping
                ? .mapping(YAMLMapping(entries: entries, location: location))
                : .sequence(YAMLSequence(items: items, location: location))
        }
    }

    private let file: String
    private let bytes: [UInt8]
    private let source: SourceText
    private let aliasExpansionLimit: Int
    private let nestingLimit: Int
    private var open: [OpenCollection] = []
    private var anchors: [String: (node: YAMLNode, size: Int, height: Int)] = [:]
    private var aliasExpansion = 0
    private var root: YAMLNode?
    private var documents = 0
    private var diagnostics: [Diagnostic] = []

    init(file: String, bytes: [UInt8], aliasExpansionLimit: Int, nestingLimit: Int) {
        self.file = file
        self.bytes = bytes
        self.source = SourceText(bytes: bytes)
        self.aliasExpansionLimit = aliasExpansionLimit
        self.nestingLimit = nestingLimit
    }

    mutating func build(from reader: YAMLEventReader) -> YAMLDocument {
        do throws(Stop) {
            while true {
                let event: YAMLEvent
                do {
                    event = try reader.next()
                } catch {
                    throw Stop(diagnostic: syntaxDiagnostic(error))
                }
                if case .streamEnd = event { return YAMLDocument(root: root, diagnostics: diagnostics) }
                try handle(event)
            }
        } catch {
            diagnostics.append(error.diagnostic)
            return YAMLDocument(root: nil, diagnostics: diagnostics)
        }
    }

    private mutating func handle(_ event: YAMLEvent) throws(Stop) {
        switch event {
        case .streamStart, .streamEnd, .documentEnd:
            break
        case .documentStart(let start):
            documents += 1
            if documents > 1 {
                throw Stop(diagnostic: Diagnostic(
                    .error, at: location(start), "a second YAML document starts here",
                    fix: "keep one document per file: remove this `---`, or move what follows into its own file"))
            }
        case .scalar(let event):
            add(scalar(event), size: 1, height: 1, anchor: event.anchor)
        case .alias(let anchor, let start):
            try addAlias(anchor, at: location(start))
        case .sequenceStart(let anchor, let start, let end):
            try openCollection(isMapping: false, anchor: anchor, at: location(source.tokenStart(from: start, end: end)))
        case .mappingStart(let anchor, let start, let end):
            try openCollection(isMapping: true, anchor: anchor, at: location(source.tokenStart(from: start, end: end)))
        case .sequenceEnd, .mappingEnd:
            if let collection = open.popLast() {
                add(collection.node, size: collection.size, height: collection.height, anchor: collection.anchor)
            }
        }
    }

    private func scalar(_ event: YAMLEvent.Scalar) -> YAMLNode {
        let token = source.tokenStart(from: event.start, end: event.end)
        let content = source.contentStart(style: event.style, value: event.value, token: token)
        return .scalar(YAMLScalar(
            value: event.value, style: event.style, location: location(token), contentStart: location(content)))
    }

    private mutating func openCollection(isMapping: Bool, anchor: String?, at location: SourceLocation) throws(Stop) {
        try checkDepth(open.count + 1, at: location)
        open.append(OpenCollection(isMapping: isMapping, anchor: anchor, location: location))
    }

    /// Swift frees a tree recursively, so its depth must stay small, aliases included:
    /// each alias can put a whole anchored tree one level deeper.
    private func checkDepth(_ depth: Int, at location: SourceLocation) throws(Stop) {
        guard depth <= nestingLimit else {
            throw Stop(diagnostic: Diagnostic(
                .error, at: location, "lists and mappings nest more than \(nestingLimit) levels deep here",
                fix: "flatten the structure and remove nested aliases; a rule file never needs this depth"))
        }
    }

    private mutating func addAlias(_ anchor: String, at location: SourceLocation) throws(Stop) {
        guard let anchored = anchors[anchor] else {
            throw Stop(diagnostic: Diagnostic(
                .error, at: location, "no anchor `&\(anchor)` before this alias",
                fix: "define `&\(anchor)` on a node above, before `*\(anchor)` uses it"))
        }
        aliasExpansion += anchored.size
        guard aliasExpansion <= aliasExpansionLimit else {
            throw Stop(diagnostic: Diagnostic(
                .error, at: location,
                "aliases expand to more than \(aliasExpansionLimit) nodes; a file of rules never needs that many",
                fix: "remove the nested aliases"))
        }
        try checkDepth(open.count + anchored.height, at: location)
        add(anchored.node, size: anchored.size, height: anchored.height, anchor: nil)
    }

    /// Puts a finished node into the collection being read, or makes it the root.
    private mutating func add(_ node: YAMLNode, size: Int, height: Int, anchor: String?) {
        if let anchor { anchors[anchor] = (node, size, height) }
        guard let top = open.indices.last else {
            root = node
            return
        }
        open[top].size += size
        open[top].height = max(open[top].height, height + 1)
        guard open[top].isMapping else {
            open[top].items.append(node)
            return
        }
        if let key = open[top].pendingKey {
            if !open[top].skipsValue { open[top].entries.append(YAMLMapping.Entry(key: key, value: node)) }
            open[top].pendingKey = nil
            open[top].skipsValue = false
            return
        }
        open[top].pendingKey = node
        guard let key = node.scalar else { return }
        if let firstLine = open[top].keyLines[key.value] {
            open[top].skipsValue = true
            diagnostics.append(Diagnostic(
                .error, at: key.location, "duplicate key `\(key.value)`; the first is on line \(firstLine)",
                fix: "keep one of them: YAML would silently use only one"))
        } else {
            open[top].keyLines[key.value] = key.location.line
        }
    }

    private func syntaxDiagnostic(_ error: YAMLSyntaxError) -> Diagnostic {
        var message = "YAML syntax: \(error.problem)"
        if let context = error.context, let mark = error.contextMark {
            message += " (\(context) that starts at line \(mark.line + 1), column \(mark.column + 1))"
        }
        let at: SourceLocation = switch error.place {
        case .mark(let mark): location(mark)
        case .byteOffset(let offset): location(ofByte: offset)
        }
        return Diagnostic(.error, at: at, message, fix: SyntaxHint.fix(for: error.problem))
    }

    private func location(_ mark: YAMLMark) -> SourceLocation {
        SourceLocation(file: file, line: mark.line + 1, column: mark.column + 1)
    }

    /// Reader errors (bad UTF-8, control characters) come with a byte offset only.
    private func location(ofByte offset: Int) -> SourceLocation {
        let before = bytes.prefix(max(0, offset))
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        let line = before.count(where: { $0 == UInt8(ascii: "\n") }) + 1
        // Count characters, not bytes: UTF-8 continuation bytes are 0b10xxxxxx.
        let column = before[lineStart...].count(where: { $0 & 0xC0 != 0x80 }) + 1
        return SourceLocation(file: file, line: line, column: column)
    }
}
