import CPCRE2
import Synchronization

/// Per-call PCRE2 working memory: match data, a match context with the limits that
/// stop catastrophic backtracking, and a JIT stack. Owns its C pointers.
///
/// One scratch serves one evaluation at a time; `ScratchPool` hands them out.
final class MatchScratch: @unchecked Sendable {
    let matchData: OpaquePointer
    let matchContext: OpaquePointer
    private let jitStack: OpaquePointer?

    init(limits: EngineLimits) {
        matchData = pcre2_match_data_create_8(1, nil)!
        matchContext = pcre2_match_context_create_8(nil)!
        pcre2_set_match_limit_8(matchContext, limits.regexMatchLimit)
        pcre2_set_depth_limit_8(matchContext, limits.regexDepthLimit)
        // The default 32 KiB JIT stack is too small for some legitimate patterns on long
        // texts; a larger one keeps those from failing while the match limit still
        // bounds the time.
        jitStack = pcre2_jit_stack_create_8(32 * 1024, 1024 * 1024, nil)
        if let jitStack { pcre2_jit_stack_assign_8(matchContext, nil, UnsafeMutableRawPointer(jitStack)) }
    }

    deinit {
        if let jitStack { pcre2_jit_stack_free_8(jitStack) }
        pcre2_match_context_free_8(matchContext)
        pcre2_match_data_free_8(matchData)
    }
}

/// Hands out reusable scratch values to concurrent evaluations.
///
/// A pool rather than thread-local storage: Swift tasks move between threads, and
/// an uncontended lock costs less than allocating PCRE2 and Vectorscan scratch per call.
final class ScratchPool<Scratch: Sendable>: Sendable {
    private let spare = Mutex<[Scratch]>([])
    private let make: @Sendable () -> Scratch

    init(make: @escaping @Sendable () -> Scratch) { self.make = make }

    func withScratch<R>(_ body: (Scratch) throws -> R) rethrows -> R {
        let scratch = spare.withLock { $0.popLast() } ?? make()
        defer { spare.withLock { $0.append(scratch) } }
        return try body(scratch)
    }
}
