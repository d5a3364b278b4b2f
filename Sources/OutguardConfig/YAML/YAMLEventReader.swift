import CYAML

/// Pulls parse events out of libyaml.
///
/// The only owner of libyaml state: it allocates the parser and a private copy of the
/// input in `init` and frees both in `deinit`. libyaml keeps pointers to both (the parser
/// even points at itself), so neither may move; every event is copied into Swift values
/// before it is handed out.
final class YAMLEventReader {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let input: UnsafeMutableBufferPointer<UInt8>
    private let isReady: Bool

    init(bytes: [UInt8]) {
        parser = .allocate(capacity: 1)
        input = .allocate(capacity: max(bytes.count, 1))
        _ = input.initialize(fromContentsOf: bytes)
        isReady = yaml_parser_initialize(parser) == 1
        if isReady {
            yaml_parser_set_input_string(parser, input.baseAddress, bytes.count)
        }
    }

    deinit {
        if isReady { yaml_parser_delete(parser) }
        parser.deallocate()
        input.deallocate()
    }

    /// The next event; after the end of the stream, `.streamEnd` again.
    func next() throws(YAMLSyntaxError) -> YAMLEvent {
        guard isReady else {
            throw YAMLSyntaxError(problem: "libyaml could not start (out of memory)", place: .byteOffset(0))
        }
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else { throw currentError() }
        defer { yaml_event_delete(&event) }

        let start = YAMLMark(event.start_mark)
        let end = YAMLMark(event.end_mark)
        switch event.type {
        case YAML_STREAM_START_EVENT:
            return .streamStart
        case YAML_DOCUMENT_START_EVENT:
            return .documentStart(start)
        case YAML_DOCUMENT_END_EVENT:
            return .documentEnd
        case YAML_ALIAS_EVENT:
            return .alias(anchor: Self.string(event.data.alias.anchor) ?? "", start: start)
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let value = scalar.value.map {
                String(decoding: UnsafeBufferPointer(start: $0, count: scalar.length), as: UTF8.self)
            }
            return .scalar(YAMLEvent.Scalar(
                anchor: Self.string(scalar.anchor), value: value ?? "", style: Self.style(scalar.style),
                start: start, end: end))
        case YAML_SEQUENCE_START_EVENT:
            return .sequenceStart(anchor: Self.string(event.data.sequence_start.anchor), start: start, end: end)
        case YAML_SEQUENCE_END_EVENT:
            return .sequenceEnd
        case YAML_MAPPING_START_EVENT:
            return .mappingStart(anchor: Self.string(event.data.mapping_start.anchor), start: start, end: end)
        case YAML_MAPPING_END_EVENT:
            return .mappingEnd
        default:
            // YAML_STREAM_END_EVENT, and YAML_NO_EVENT that libyaml returns after it.
            return .streamEnd
        }
    }

    private func currentError() -> YAMLSyntaxError {
        let state = parser.pointee
        var problem = Self.string(state.problem) ?? "the text is not valid YAML"
        if state.error == YAML_READER_ERROR {
            if state.problem_value != -1 {
                problem += " (0x\(String(state.problem_value, radix: 16, uppercase: true)))"
            }
            return YAMLSyntaxError(problem: problem, place: .byteOffset(state.problem_offset))
        }
        let context = Self.string(state.context)
        return YAMLSyntaxError(
            problem: problem, place: .mark(YAMLMark(state.problem_mark)),
            context: context, contextMark: context == nil ? nil : YAMLMark(state.context_mark))
    }

    private static func string(_ pointer: UnsafePointer<CChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private static func style(_ style: yaml_scalar_style_t) -> YAMLScalar.Style {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }
}

extension YAMLMark {
    fileprivate init(_ mark: yaml_mark_t) {
        self.init(index: mark.index, line: mark.line, column: mark.column)
    }
}
