/// A value that grants access (the admin token, the review session, the form token),
/// compared so that the time taken does not tell how much of a guess was right.
struct Secret: Sendable {
    private let bytes: [UInt8]

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    /// 32 random bytes as hex: a session or form token that lives as long as the process.
    static func random() -> Secret {
        var generator = SystemRandomNumberGenerator()
        let hex = (0..<32).map { _ in
            let byte = UInt8.random(in: .min ... .max, using: &generator)
            return String(byte, radix: 16).leftPadded(to: 2)
        }
        return Secret(hex.joined())
    }

    /// The text to hand out (in a cookie or a form field).
    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Whether `candidate` is this secret. Every byte of the secret is looked at whatever
    /// the candidate holds, so the time depends on the secret's length only.
    func matches(_ candidate: some StringProtocol) -> Bool {
        let other = Array(candidate.utf8)
        var difference: UInt8 = other.count == bytes.count ? 0 : 1
        for (index, byte) in bytes.enumerated() {
            difference |= byte ^ (index < other.count ? other[index] : 0)
        }
        return difference == 0 && !bytes.isEmpty
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
