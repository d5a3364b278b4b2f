/// One HTTP header a hook sends with every call, as written under the hook's `headers:`.
///
/// A value may take parts from environment variables, written `${NAME}`, so that an API
/// key never sits in a rule file: `Authorization: "Bearer ${OPENAI_API_KEY}"`. `$$` writes
/// one `$`; any other `$` is itself. Variables are read when the daemon builds its hooks,
/// not when the file is read, so `outguard lint` does not need the secrets.
public struct HookHeader: Sendable, Hashable {
    /// A piece of the value: text as written, or the value of an environment variable.
    public enum Part: Sendable, Hashable {
        case text(String)
        case variable(String)
    }

    /// A `${NAME}` reference whose variable is not set.
    public struct MissingVariable: Error, Sendable, Hashable {
        public var header: String
        public var variable: String

        public init(header: String, variable: String) {
            self.header = header
            self.variable = variable
        }
    }

    /// What is wrong with a value as written, at `offset` characters into it.
    struct TemplateError: Error, Equatable {
        var offset: Int
        var message: String
        var fix: String
    }

    public var name: String
    public var parts: [Part]
    /// Where the header's name was written.
    public var location: SourceLocation

    public init(name: String, parts: [Part], location: SourceLocation) {
        self.name = name
        self.parts = parts
        self.location = location
    }

    /// The environment variables the value reads.
    public var variables: [String] {
        parts.compactMap { if case .variable(let name) = $0 { name } else { nil } }
    }

    /// The value to send, with each `${NAME}` replaced by the variable's value.
    public func value(in environment: [String: String]) -> Result<String, MissingVariable> {
        var value = ""
        for part in parts {
            switch part {
            case .text(let text):
                value += text
            case .variable(let name):
                guard let text = environment[name] else {
                    return .failure(MissingVariable(header: self.name, variable: name))
                }
                value += text
            }
        }
        return .success(value)
    }

    /// Reads a value as written: text with `${NAME}` references and `$$` for a `$`.
    static func parts(of written: String) -> Result<[Part], TemplateError> {
        var parts: [Part] = []
        var text = ""
        let characters = Array(written)
        // Locations count Unicode scalars.
        func offset(_ index: Int) -> Int { characters[..<index].reduce(0) { $0 + $1.unicodeScalars.count } }
        var index = 0
        while index < characters.count {
            let character = characters[index]
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            if character == "$" && next == "$" {
                text.append("$")
                index += 2
            } else if character == "$" && next == "{" {
                guard let close = characters[(index + 2)...].firstIndex(of: "}") else {
                    return .failure(
                        TemplateError(
                            offset: offset(index), message: "`${` has no closing `}`",
                            fix: "write the variable as `${NAME}`, or `$$` for a literal `$`"))
                }
                let name = String(characters[(index + 2)..<close])
                guard isVariableName(name) else {
                    return .failure(
                        TemplateError(
                            offset: offset(index + 2),
                            message: name.isEmpty
                                ? "`${}` names no variable" : "`\(name)` is not an environment variable name",
                            fix: "use letters, digits and `_`, not starting with a digit, like `${OPENAI_API_KEY}`"))
                }
                if !text.isEmpty { parts.append(.text(text)) }
                text = ""
                parts.append(.variable(name))
                index = close + 1
            } else {
                guard
                    !character.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
                        || character == "\t"
                else {
                    return .failure(
                        TemplateError(
                            offset: offset(index),
                            message: "a header value cannot hold a line break or control character",
                            fix: "write the value on one line"))
                }
                text.append(character)
                index += 1
            }
        }
        if !text.isEmpty { parts.append(.text(text)) }
        return .success(parts)
    }

    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy {
            $0 == "_" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
        }
    }

    /// RFC 9110 token characters.
    static func isHeaderName(_ name: String) -> Bool {
        !name.isEmpty
            && name.unicodeScalars.allSatisfy { scalar in
                ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                    || "!#$%&'*+-.^_`|~".unicodeScalars.contains(scalar)
            }
    }

    /// Headers Outguard writes itself on every call.
    static let reservedNames: Set<String> = [
        "host", "content-length", "content-type", "transfer-encoding", "connection",
    ]
    /// Headers that usually carry a secret, which should come from the environment.
    static let secretNames: Set<String> = ["authorization", "proxy-authorization", "api-key", "x-api-key"]
}
