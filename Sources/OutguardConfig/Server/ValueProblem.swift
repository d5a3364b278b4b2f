/// Why the text given for a setting is not a valid value, and values that would be.
///
/// The same text can come from the config file, the environment or a flag; the problem
/// says what is wrong with the text, and `SettingOrigin` says how to write the fix there.
struct ValueProblem: Error, Equatable {
    var message: String
    /// Valid values, best first; the fix shows them written the way the origin needs.
    var examples: [String]

    init(_ message: String, examples: [String]) {
        self.message = message
        self.examples = examples
    }

    /// The diagnostic for this problem where `origin` gave the value.
    func diagnostic(at origin: SettingOrigin) -> Diagnostic {
        let written = examples.map { "`\(origin.written($0))`" }
        let fix: String = switch written.count {
        case 0: "check the value"
        case 1: "\(origin.verb) \(written[0])"
        default: "\(origin.verb) it like \(written.dropLast().joined(separator: ", ")) or \(written[written.count - 1])"
        }
        return Diagnostic(.error, at: origin.location, message, fix: fix)
    }
}
