import Crypto

/// Turns matched text into what the log may hold, as `log.match` says: the one place
/// that decides what of a finding's text reaches the disk.
public struct MatchForm: Sendable {
    private enum Form: Sendable {
        case masked
        case hmac(SymmetricKey)
        case full
        case none
    }

    private let form: Form

    /// `hmacKey` is used by `hmac` only, and must not be empty then (the config loader
    /// refuses `match: hmac` without a key).
    public init(_ privacy: MatchPrivacy, hmacKey: [UInt8] = []) {
        switch privacy {
        case .masked: form = .masked
        case .hmac:
            precondition(!hmacKey.isEmpty, "match: hmac needs a key")
            form = .hmac(SymmetricKey(data: hmacKey))
        case .full: form = .full
        case .none: form = .none
        }
    }

    /// The form `config` asks for.
    public init(_ config: LogConfig) {
        self.init(config.match, hmacKey: config.hmacKey)
    }

    /// Whether records carry `match` and `context` at all.
    var keepsText: Bool {
        if case .none = form { false } else { true }
    }

    /// `text` as the log may hold it; `nil` with `none`.
    public func written(_ text: some StringProtocol) -> String? {
        var text = String(text)
        return text.withUTF8 { written(utf8: $0) }.map { String(decoding: $0, as: UTF8.self) }
    }

    /// The same for a text's UTF-8 bytes (valid UTF-8), as UTF-8 bytes.
    func written(utf8: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        switch form {
        case .masked: MaskedText.mask(utf8: utf8)
        case .hmac(let key): Self.hmacPrefix + Self.hex(HMAC<SHA256>.authenticationCode(for: utf8, using: key))
        case .full: Array(utf8)
        case .none: nil
        }
    }

    private static let hmacPrefix = Array("hmac-sha256:".utf8)

    private static func hex(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return text
    }
}
