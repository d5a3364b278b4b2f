import CHyperscan

/// A compiled Vectorscan block-mode database and the per-scan scratch its scans take
/// turns with. Owns the database.
///
/// Both of the engine's sieves are one of these: the regex prefilter (which rules could
/// match a text) and the lexicon's term sieve (whether any term occurs in it at all).
final class VectorscanDatabase: @unchecked Sendable {
    // Vectorscan databases are immutable once compiled; scans on any thread may share
    // one as long as each has its own scratch.
    private let pointer: OpaquePointer
    private let scratchPool: ScratchPool<VectorscanScratch>

    /// Takes ownership of a database `hs_compile_multi` or `hs_compile_lit_multi` made.
    init(compiled pointer: OpaquePointer) {
        self.pointer = pointer
        let shared = UnsafeDatabase(pointer: pointer)
        scratchPool = ScratchPool { VectorscanScratch(database: shared) }
    }

    deinit {
        hs_free_database(pointer)
    }

    /// Calls `onMatch` with the id of each match in `text`, in the order Vectorscan
    /// reports them, until it returns `false`. Returns `false` when Vectorscan could not
    /// scan at all (it had no memory for scratch): then the caller must assume that
    /// anything could match.
    func scan(_ text: UnsafeBufferPointer<UInt8>, _ onMatch: (UInt32) -> Bool) -> Bool {
        guard let base = text.baseAddress, !text.isEmpty else { return true }
        return withoutActuallyEscaping(onMatch) { onMatch in
            var handler = onMatch
            return scratchPool.withScratch { scratch in
                withUnsafeMutablePointer(to: &handler) { context in
                    let status = base.withMemoryRebound(to: CChar.self, capacity: text.count) { characters in
                        hs_scan(
                            pointer, characters, UInt32(text.count), 0, scratch.pointer,
                            { id, _, _, _, context in
                                // Non-zero stops the scan.
                                context!.assumingMemoryBound(to: ((UInt32) -> Bool).self).pointee(id) ? 0 : 1
                            }, context)
                    }
                    return status == HS_SUCCESS || status == HS_SCAN_TERMINATED
                }
            }
        }
    }
}

/// A database pointer that scratch allocation may read from any thread.
private struct UnsafeDatabase: @unchecked Sendable {
    let pointer: OpaquePointer
}

/// Vectorscan's per-scan working memory for one database. Owns its pointer.
private final class VectorscanScratch: @unchecked Sendable {
    let pointer: OpaquePointer?

    init(database: UnsafeDatabase) {
        var scratch: OpaquePointer? = nil
        hs_alloc_scratch(database.pointer, &scratch)
        pointer = scratch
    }

    deinit {
        if let pointer { hs_free_scratch(pointer) }
    }
}
