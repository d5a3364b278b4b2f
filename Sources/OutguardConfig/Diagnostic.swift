/// A place in a source file, 1-based like editors show it.
public struct SourceLocation: Sendable, Hashable, Comparable {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// One problem found in a rule or config file, said the way compilers say it:
/// `file:line:col: error: message`, followed by what to write instead.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error, warning, note
    }

    public var severity: Severity
    public var location: SourceLocation
    public var message: String
    /// What to write instead, when there is a clear answer.
    public var fix: String?

    public init(_ severity: Severity, at location: SourceLocation, _ message: String, fix: String? = nil) {
        self.severity = severity
        self.location = location
        self.message = message
        self.fix = fix
    }

    public var description: String {
        var text = "\(location.description): \(severity.rawValue): \(message)"
        if let fix { text += "\n    fix: \(fix)" }
        return text
    }
}
