import CHyperscan

/// One pass over a text that tells which regex rules could match it.
///
/// Most answers are clean, and running every PCRE2 pattern over them one after
/// another costs ~30 MB/s; Vectorscan scans all patterns at once in prefilter mode
/// (a superset of PCRE2's matches: lookarounds and back-references are relaxed) at
/// hundreds of MB/s, and PCRE2 then runs only for the rules it names, to confirm,
/// validate and find exact spans. Patterns Vectorscan cannot take even in prefilter
/// mode are always candidates.
final class Prefilter: Sendable {
    private let database: VectorscanDatabase?
    /// Rules Vectorscan could not compile: PCRE2 always runs them.
    let alwaysCandidates: [Int]
    let ruleCount: Int

    init(patterns: [(pattern: String, flags: Set<RegexFlag>)]) {
        ruleCount = patterns.count
        var excluded = Set<Int>()
        var compiled: OpaquePointer? = nil
        while compiled == nil && excluded.count < patterns.count {
            switch Prefilter.compile(patterns, excluding: excluded) {
            case .success(let database):
                compiled = database
            case .failure(let index):
                guard let index else {
                    excluded = Set(patterns.indices)
                    break
                }
                excluded.insert(index)
            }
        }
        database = compiled.map(VectorscanDatabase.init(compiled:))
        alwaysCandidates = excluded.sorted()
    }

    /// Marks in `candidates` (one bit per rule) the rules that could match `text`.
    func candidates(in text: UnsafeBufferPointer<UInt8>, into candidates: inout RuleBits) {
        for index in alwaysCandidates { candidates.insert(index) }
        guard let database else { return }
        let scanned = database.scan(text) { id in
            candidates.insert(Int(id))
            return true
        }
        if !scanned {
            for index in 0..<ruleCount { candidates.insert(index) }
        }
    }

    /// The pattern without `\K`, which Vectorscan does not support. `\K` only moves
    /// where a reported match starts, never whether there is one, so the pattern
    /// without it is just as good a prefilter.
    static func withoutMatchStartResets(_ pattern: String) -> String {
        var result = ""
        var characters = pattern.makeIterator()
        while let character = characters.next() {
            guard character == "\\" else {
                result.append(character)
                continue
            }
            guard let escaped = characters.next() else {
                result.append(character)
                break
            }
            switch escaped {
            case "K":
                continue
            case "Q":
                // Quoted text is literal up to `\E`: a `\K` in it is two characters to keep.
                result += "\\Q"
                var previous: Character = " "
                while let quoted = characters.next() {
                    result.append(quoted)
                    if previous == "\\" && quoted == "E" { break }
                    previous = quoted
                }
            default:
                result += "\\\(escaped)"
            }
        }
        return result
    }

    private enum CompileResult {
        case success(OpaquePointer)
        /// The index of the pattern Vectorscan rejected, or nil when it cannot say.
        case failure(Int?)
    }

    private static func compile(
        _ patterns: [(pattern: String, flags: Set<RegexFlag>)], excluding excluded: Set<Int>
    ) -> CompileResult {
        let included = patterns.indices.filter { !excluded.contains($0) }
        // Vectorscan wants an array of C strings that all live until compilation ends.
        let expressions = included.map { index -> UnsafePointer<CChar>? in
            let (pattern, flags) = patterns[index]
            let source = Prefilter.withoutMatchStartResets(pattern)
            let cString = (flags.contains(.extended) ? "(?x)" + source : source).utf8CString
            let copy = UnsafeMutablePointer<CChar>.allocate(capacity: cString.count)
            cString.withUnsafeBufferPointer { copy.initialize(from: $0.baseAddress!, count: cString.count) }
            return UnsafePointer(copy)
        }
        defer { expressions.forEach { $0?.deallocate() } }
        let flags = included.map { index -> UInt32 in
            var value = UInt32(HS_FLAG_UTF8 | HS_FLAG_UCP | HS_FLAG_PREFILTER | HS_FLAG_SINGLEMATCH)
            let ruleFlags = patterns[index].flags
            if ruleFlags.contains(.caseless) { value |= UInt32(HS_FLAG_CASELESS) }
            if ruleFlags.contains(.multiline) { value |= UInt32(HS_FLAG_MULTILINE) }
            if ruleFlags.contains(.dotall) { value |= UInt32(HS_FLAG_DOTALL) }
            return value
        }
        let ids = included.map { UInt32($0) }
        var database: OpaquePointer? = nil
        var error: UnsafeMutablePointer<hs_compile_error_t>? = nil
        let status = expressions.withUnsafeBufferPointer { expressionPointers in
            hs_compile_multi(
                expressionPointers.baseAddress, flags, ids, UInt32(included.count), UInt32(HS_MODE_BLOCK),
                nil, &database, &error)
        }
        if status == HS_SUCCESS, let database { return .success(database) }
        let failed = error.map { Int($0.pointee.expression) } ?? -1
        if let error { hs_free_compile_error(error) }
        return .failure(failed >= 0 ? included[failed] : nil)
    }
}

/// A set of rule indices, one bit each. The first 64 live inline, so the common
/// policy never allocates for it.
struct RuleBits: Sendable {
    private var first: UInt64 = 0
    private var rest: [UInt64]

    init(count: Int) { rest = count > 64 ? Array(repeating: 0, count: (count - 1) / 64) : [] }

    mutating func insert(_ index: Int) {
        if index < 64 { first |= 1 << UInt64(index) } else { rest[(index >> 6) - 1] |= 1 << UInt64(index & 63) }
    }

    /// Adds the rules of `word`'s set bits, word `index` covering rules `64 * index ..< 64 * (index + 1)`.
    mutating func formUnion(_ word: UInt64, inWord index: Int) {
        if index == 0 { first |= word } else { rest[index - 1] |= word }
    }

    var isEmpty: Bool { first == 0 && rest.allSatisfy { $0 == 0 } }

    func contains(_ index: Int) -> Bool {
        index < 64 ? first & (1 << UInt64(index)) != 0 : rest[(index >> 6) - 1] & (1 << UInt64(index & 63)) != 0
    }
}
