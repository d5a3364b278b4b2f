/// Where a setting's value came from: a key in the config file, an environment variable or
/// a command-line flag. A fix must be written the way that place takes it
/// (`listen: …`, `OUTGUARD_LISTEN=…`, `--listen …`).
enum SettingOrigin {
    case file(key: String, at: SourceLocation)
    case environment(name: String)
    case flag(name: String)

    /// Environment variables and flags have no lines; their name stands in for the file, so
    /// the message still says which one is wrong.
    var location: SourceLocation {
        switch self {
        case .file(_, let location): location
        case .environment(let name): SourceLocation(file: name, line: 1, column: 1)
        case .flag(let name): SourceLocation(file: name, line: 1, column: 1)
        }
    }

    /// `value` written as this origin takes it.
    func written(_ value: String) -> String {
        switch self {
        case .file(let key, _): "\(key): \(value)"
        case .environment(let name): "\(name)=\(value)"
        case .flag(let name): "\(name) \(value)"
        }
    }

    /// One writes a file and a flag, but sets a variable.
    var verb: String {
        if case .environment = self { "set" } else { "write" }
    }
}
