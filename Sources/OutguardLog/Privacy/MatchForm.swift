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
        switch form {
        case .masked: MaskedText.mask(text)
        case .hmac(let key):
            Self.hmacPrefix + Self.hex(HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: key))
        case .full: String(text)
        case .none: nil
        }
    }

    private static let hmacPrefix = "hmac-sha256:"

    private static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
