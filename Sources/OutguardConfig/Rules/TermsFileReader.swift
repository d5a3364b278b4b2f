import Foundation

/// Reads `terms_file`s: one term a line, blank lines and `#` comment lines skipped.
///
/// Each file is read once however many rules name it, and what was read is kept for the
/// rule set's digest.
struct TermsFileReader {
    /// A term and the line it came from.
    struct Term {
        var text: String
        var location: SourceLocation
    }

    enum Failure: Error {
        case unreadable
        case notUTF8
    }

    /// The bytes of every terms file read, by path.
    private(set) var contents: [String: [UInt8]] = [:]
    private var terms: [String: Result<[Term], Failure>] = [:]

    /// The path `value` names, relative to the folder of the rule file at `ruleFile`.
    static func resolve(_ value: String, relativeTo ruleFile: String) -> String {
        if value.hasPrefix("/") { return value }
        guard let slash = ruleFile.lastIndex(of: "/") else { return value }
        return ruleFile[...slash] + value
    }

    mutating func terms(at path: String) -> Result<[Term], Failure> {
        if let known = terms[path] { return known }
        let result = read(path)
        terms[path] = result
        return result
    }

    private mutating func read(_ path: String) -> Result<[Term], Failure> {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue,
              let data = FileManager.default.contents(atPath: path)
        else { return .failure(.unreadable) }
        let bytes = [UInt8](data)
        contents[path] = bytes
        guard let text = String(validating: bytes, as: UTF8.self) else { return .failure(.notUTF8) }

        var terms: [Term] = []
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let leading = line.prefix { $0 == " " || $0 == "\t" }
            let term = line.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !term.isEmpty, !term.hasPrefix("#") else { continue }
            let column = leading.unicodeScalars.count + 1
            terms.append(Term(text: term, location: SourceLocation(file: path, line: index + 1, column: column)))
        }
        return .success(terms)
    }
}
