/// The `host:port` part that listen addresses and upstream URLs share: split, checked and
/// written back, brackets around IPv6 addresses included.
enum HostPort {
    struct Parts {
        /// Without brackets; empty for `:8080`.
        var host: Substring
        /// `nil` when the text has no `:port`.
        var port: Substring?
    }

    /// Why a text does not split into a host and a port.
    struct SplitError: Error {
        var message: String
        /// A better example than the caller's usual one, when the mistake calls for it.
        var example: String?
    }

    static func split(_ text: Substring) -> Result<Parts, SplitError> {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                return .failure(SplitError(message: "`\(text)` opens `[` but does not close it", example: "[::1]:8080"))
            }
            let host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            if rest.isEmpty { return .success(Parts(host: host, port: nil)) }
            guard rest.hasPrefix(":") else {
                return .failure(SplitError(message: "`\(rest)` after `]` is not a port", example: "[::1]:8080"))
            }
            return .success(Parts(host: host, port: rest.dropFirst()))
        }
        let colons = text.count { $0 == ":" }
        if colons > 1 {
            // An IPv6 address's own colons would be read as the port's.
            return .failure(SplitError(message: "an IPv6 address must be in brackets", example: "[::1]:8080"))
        }
        guard let colon = text.firstIndex(of: ":") else { return .success(Parts(host: text, port: nil)) }
        return .success(Parts(host: text[..<colon], port: text[text.index(after: colon)...]))
    }

    /// A port number 0...65535 written in digits only.
    static func port(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 5, text.allSatisfy(\.isASCIIDigit), let port = Int(text) else { return nil }
        return port <= 65_535 ? port : nil
    }

    /// A DNS name (letters, digits, `-`, `_`, `.`), an IPv4 address, or an IPv6 address
    /// with an optional `%zone`.
    static func isValidHost(_ host: String) -> Bool {
        guard !host.isEmpty, host.utf8.count <= 253 else { return false }
        if host.contains(":") {
            let address = host.split(separator: "%", maxSplits: 1).first ?? ""
            return address.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
        }
        return host.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
            && !host.hasPrefix(".") && !host.hasPrefix("-")
    }

    static func join(host: String, port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

extension Character {
    /// `0`...`9` only: `Int` would read other scripts' digits too, which no port is written in.
    var isASCIIDigit: Bool { isASCII && isNumber }
}
