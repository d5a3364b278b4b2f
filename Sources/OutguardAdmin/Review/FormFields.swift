import Foundation

/// The fields of a query string or of a form post (`application/x-www-form-urlencoded`):
/// `+` is a space, `%XX` a byte, and a name given twice keeps its first value.
struct FormFields: Sendable, Equatable {
    private var values: [String: String] = [:]

    init(_ encoded: String) {
        for pair in encoded.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            guard values[name] == nil else { continue }
            values[name] = parts.count > 1 ? Self.decode(parts[1]) : ""
        }
    }

    /// The field's value with surrounding spaces trimmed; `nil` when it is absent or blank,
    /// since an empty select or text box means "not given".
    subscript(name: String) -> String? {
        guard let value = values[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
            return nil
        }
        return value
    }

    /// Writes `fields` the way browsers do, skipping empty values; the inverse of `init`.
    static func encode(_ fields: [(name: String, value: String)]) -> String {
        fields.filter { !$0.value.isEmpty }.map { "\(encode(part: $0.name))=\(encode(part: $0.value))" }
            .joined(separator: "&")
    }

    private static func decode(_ part: Substring) -> String {
        let spaced = part.replacingOccurrences(of: "+", with: " ")
        // Malformed percent escapes are kept as written rather than dropping the field.
        return spaced.removingPercentEncoding ?? spaced
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    private static func encode(part: String) -> String {
        part.addingPercentEncoding(withAllowedCharacters: unreserved) ?? part
    }
}
