import CPCRE2

/// One compiled, JIT-compiled PCRE2 pattern. Owns the `pcre2_code`; nothing else
/// sees the pointer.
///
/// Matching is thread-safe: PCRE2 code is read-only after compilation, and every
/// call brings its own `MatchScratch`.
final class PCRE2Pattern: @unchecked Sendable {
    /// Why a pattern did not compile, with the character offset of the bad spot.
    struct CompileError: Error {
        var message: String
        var characterOffset: Int
    }

    /// One step of a left-to-right search.
    enum Outcome: Equatable {
        /// A complete match that more text cannot change.
        case match(Range<Int>)
        /// Text from this offset on could still become a match once more text arrives.
        case partial(start: Int)
        case noMatch
        /// The match or depth limit was hit, or PCRE2 failed otherwise.
        case failed(String)
    }

    private let code: OpaquePointer
    /// Characters a lookbehind may inspect before a match's start.
    let maxLookbehind: Int
    /// Bytes that may start a match (`nil`: PCRE2 could not tell, so any byte may).
    let firstBytes: ByteSet?
    let canMatchEmpty: Bool

    init(pattern: String, flags: Set<RegexFlag>) throws(CompileError) {
        var options = UInt32(PCRE2_UTF | PCRE2_UCP)
        if flags.contains(.caseless) { options |= UInt32(PCRE2_CASELESS) }
        if flags.contains(.multiline) { options |= UInt32(PCRE2_MULTILINE) }
        if flags.contains(.dotall) { options |= UInt32(PCRE2_DOTALL) }
        if flags.contains(.extended) { options |= UInt32(PCRE2_EXTENDED) }

        var errorCode: Int32 = 0
        var errorOffset = 0
        let utf8 = Array(pattern.utf8)
        let compiled = utf8.withUnsafeBufferPointer { bytes in
            pcre2_compile_8(bytes.baseAddress, bytes.count, options, &errorCode, &errorOffset, nil)
        }
        guard let compiled else {
            let offset = min(errorOffset, utf8.count)
            let characters = String(decoding: utf8[..<offset], as: UTF8.self).unicodeScalars.count
            throw CompileError(message: PCRE2Pattern.message(for: errorCode), characterOffset: characters)
        }
        code = compiled
        // JIT is an optimisation: where it is unavailable PCRE2 interprets, with the same results.
        _ = pcre2_jit_compile_8(code, UInt32(PCRE2_JIT_COMPLETE | PCRE2_JIT_PARTIAL_HARD))

        var lookbehind: UInt32 = 0
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_MAXLOOKBEHIND), &lookbehind)
        maxLookbehind = Int(lookbehind)
        var minLength: UInt32 = 0
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_MINLENGTH), &minLength)
        canMatchEmpty = minLength == 0
        firstBytes = PCRE2Pattern.firstBytes(of: code)
    }

    deinit { pcre2_code_free_8(code) }

    /// Searches `subject` from `start` (a character boundary; bytes before it are
    /// context for lookbehind and `\b`). With `final == false` the end of `subject`
    /// is not the end of the text, so anything that reaches it is `.partial`.
    func search(
        _ subject: UnsafeBufferPointer<UInt8>, from start: Int, final: Bool, notAtTextStart: Bool,
        scratch: MatchScratch
    ) -> Outcome {
        var options = UInt32(PCRE2_NO_UTF_CHECK)
        if !final { options |= UInt32(PCRE2_PARTIAL_HARD) }
        if notAtTextStart { options |= UInt32(PCRE2_NOTBOL) }
        precondition(start < subject.count, "a search starts inside the subject")
        let result = pcre2_match_8(
            code, subject.baseAddress, subject.count, start, options, scratch.matchData, scratch.matchContext)
        let ovector = pcre2_get_ovector_pointer_8(scratch.matchData)!
        switch result {
        case 0...:
            return .match(Int(ovector[0])..<Int(ovector[1]))
        case PCRE2_ERROR_PARTIAL:
            return .partial(start: Int(ovector[0]))
        case PCRE2_ERROR_NOMATCH:
            return .noMatch
        default:
            return .failed(PCRE2Pattern.message(for: result))
        }
    }

    static func message(for errorCode: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = pcre2_get_error_message_8(errorCode, &buffer, buffer.count)
        return length > 0 ? String(decoding: buffer[..<Int(length)], as: UTF8.self) : "PCRE2 error \(errorCode)"
    }

    /// The bytes a match can start with, from PCRE2's own analysis of the pattern.
    private static func firstBytes(of code: OpaquePointer) -> ByteSet? {
        var kind: UInt32 = 0
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_FIRSTCODETYPE), &kind)
        if kind == 1 {
            var unit: UInt32 = 0
            pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_FIRSTCODEUNIT), &unit)
            var set = ByteSet()
            set.insert(UInt8(truncatingIfNeeded: unit))
            // PCRE2 reports a caseless first unit in one case only, and `(?i)` inside the
            // pattern makes it caseless without our flag: both cases may start a match.
            if let scalar = Unicode.Scalar(unit), scalar.isASCII {
                let character = Character(scalar)
                for variant in [character.lowercased(), character.uppercased()] {
                    if let byte = variant.utf8.first, variant.utf8.count == 1 { set.insert(byte) }
                }
            }
            return set
        }
        var bitmap: UnsafePointer<UInt8>? = nil
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_FIRSTBITMAP), &bitmap)
        guard let bitmap else { return nil }
        var set = ByteSet()
        for byte in 0..<256 where bitmap[byte >> 3] & (1 << (byte & 7)) != 0 { set.insert(UInt8(byte)) }
        return set
    }
}

/// A set of byte values, 256 bits.
struct ByteSet: Hashable, Sendable {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    mutating func insert(_ byte: UInt8) {
        let bit = UInt64(1) << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: words.0 |= bit
        case 1: words.1 |= bit
        case 2: words.2 |= bit
        default: words.3 |= bit
        }
    }

    func contains(_ byte: UInt8) -> Bool {
        let bit = UInt64(1) << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: return words.0 & bit != 0
        case 1: return words.1 & bit != 0
        case 2: return words.2 & bit != 0
        default: return words.3 & bit != 0
        }
    }

    static func == (lhs: ByteSet, rhs: ByteSet) -> Bool {
        lhs.words == rhs.words
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }
}
