/// Normalizes streamed UTF-8 text into a `NormalizedBuffer`, one grapheme cluster at a
/// time, remembering where each output byte came from.
///
/// Speed comes from never building a String for text that needs no cluster work:
/// runs of ASCII are skipped eight bytes at a time, and every other scalar costs one
/// table lookup (`ScalarTraits`) that says whether it is "plain" (a cluster boundary
/// lies between two plain scalars) and whether a selected normalization may change it.
/// Such text is copied as one affine run, and `AffineFold` lowercases ASCII and turns
/// hiragana into katakana in place. A plain scalar that changes otherwise is mapped
/// without Strings where possible; only text around non-plain scalars (combining
/// marks, half-width voiced marks, CR LF, zero-width characters, emoji sequences) is
/// cut into clusters by `String` and normalized by `ClusterTransform`.
struct TextNormalizer: Sendable {
    private let transform: ClusterTransform
    private let fold: AffineFold
    /// The traits of scalars that need more than the affine fold.
    private let changing: ScalarTraits

    init(_ normalization: Normalization) {
        transform = ClusterTransform(normalization: normalization)
        fold = AffineFold(normalization)
        var changing: ScalarTraits = []
        if normalization.contains(.nfkc) { changing.formUnion([.compatibilityVariant, .widthVariant]) }
        if normalization.contains(.width) { changing.insert(.widthVariant) }
        if normalization.contains(.casefold) { changing.insert(.uppercase) }
        self.changing = changing
        // Build the lazy table when the policy is compiled, not during the first response.
        _ = ScalarTraits.basicPlane
    }

    /// Normalizes `original`, the UTF-8 bytes that start at `buffer.originalEnd`, and
    /// returns how many of them it consumed. Unless `isFinal`, the last grapheme
    /// cluster (and a UTF-8 sequence cut by the end) is left unconsumed, because the
    /// next character may still change it (`ｶ` + `ﾞ` is `ガ`): pass those bytes again,
    /// followed by more text. Invalid UTF-8 becomes U+FFFD.
    func append(_ original: UnsafeBufferPointer<UInt8>, isFinal: Bool, to buffer: inout NormalizedBuffer) -> Int {
        var pass = Pass(normalizer: self, input: original)
        let consumed = pass.run(isFinal: isFinal, into: &buffer)
        pass.output.flush(upTo: consumed, into: &buffer)
        return consumed
    }
}

extension TextNormalizer {
    /// The state of one `append` call: a scan over the input that decides cluster
    /// boundaries as early as it can and hands decided clusters to `output`.
    private struct Pass {
        let normalizer: TextNormalizer
        let input: UnsafeBufferPointer<UInt8>
        var output: Output
        /// Start of the text not yet decided; always a cluster boundary.
        var undecided = 0
        /// The last scalar seen, which belongs to the undecided text.
        var lastStart = 0
        var lastValue: UInt32 = 0
        var lastTraits: ScalarTraits = []

        init(normalizer: TextNormalizer, input: UnsafeBufferPointer<UInt8>) {
            self.normalizer = normalizer
            self.input = input
            output = Output(input: input, fold: normalizer.fold)
        }

        /// Scans the input and returns how much of it is decided and emitted.
        mutating func run(isFinal: Bool, into buffer: inout NormalizedBuffer) -> Int {
            // Read once: every access to a lazy global checks that it is initialized.
            let table = ScalarTraits.basicPlane
            var index = 0
            scan: while index < input.count {
                // A boundary lies before `index` when nothing is undecided or both
                // scalars around it are plain.
                let atBoundary = undecided == index || lastTraits.contains(.plain)
                if atBoundary {
                    let (runEnd, runLast) = Self.affineRunEnd(
                        input, from: index, table: table, changing: normalizer.changing)
                    if runEnd > index {
                        // Every scalar of the run but the last (a mark may follow it)
                        // is a cluster that the affine fold handles: no work now. The
                        // last stays undecided, as a plain scalar that needs no more.
                        finish(undecided..<index, into: &buffer)
                        remember(runLast, value: 0, traits: .plain)
                        undecided = runLast
                        index = runEnd
                        continue
                    }
                }
                switch UTF8Step.decode(input, at: index, isFinal: isFinal) {
                case .scalar(let value, let length):
                    let traits = ScalarTraits.of(value, basicPlane: table)
                    if atBoundary && traits.contains(.plain) {
                        finish(undecided..<index, into: &buffer)
                        undecided = index
                    }
                    remember(index, value: value, traits: traits)
                    index += length
                case .invalid(let length):
                    finish(undecided..<index, into: &buffer)
                    Self.replacementCharacter.withUnsafeBufferPointer {
                        output.emit(index..<index + length, $0, into: &buffer)
                    }
                    index += length
                    undecided = index
                case .incomplete:
                    break scan
                }
            }
            if isFinal {
                finish(undecided..<index, into: &buffer)
                return index
            }
            // Hold back the last cluster: a lone plain scalar is one; otherwise String
            // finds where the last cluster starts.
            if isLonePlainScalar(undecided..<index) { return undecided }
            return emitClusters(in: undecided..<index, holdingBackLast: true, into: &buffer)
        }

        private mutating func remember(_ start: Int, value: UInt32, traits: ScalarTraits) {
            lastStart = start
            lastValue = value
            lastTraits = traits
        }

        private func isLonePlainScalar(_ range: Range<Int>) -> Bool {
            range.lowerBound == lastStart && lastTraits.contains(.plain)
        }

        /// Emits the undecided text `range`, which ends at a cluster boundary.
        private mutating func finish(_ range: Range<Int>, into buffer: inout NormalizedBuffer) {
            guard !range.isEmpty else { return }
            if isLonePlainScalar(range) {
                emitPlainScalar(lastValue, traits: lastTraits, at: range, into: &buffer)
            } else {
                _ = emitClusters(in: range, holdingBackLast: false, into: &buffer)
            }
        }

        /// Emits a cluster that is one plain scalar, without Strings where `map` can.
        private mutating func emitPlainScalar(
            _ value: UInt32, traits: ScalarTraits, at range: Range<Int>, into buffer: inout NormalizedBuffer
        ) {
            // Text that the fold handles stays in the output's pending affine run.
            guard !traits.isDisjoint(with: normalizer.changing) else { return }
            guard let mapped = normalizer.transform.map(value, traits: traits) else {
                emit(String(Unicode.Scalar(value)!)[...], at: range, into: &buffer)
                return
            }
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4) { scratch in
                var count = 0
                UTF8.encode(mapped) { byte in
                    scratch[count] = byte
                    count += 1
                }
                output.emit(range, UnsafeBufferPointer(rebasing: scratch[..<count]), into: &buffer)
            }
        }

        /// The slow path: cuts valid UTF-8 that starts at a cluster boundary into
        /// clusters with `String` and emits each; returns where the emitted text ends.
        private mutating func emitClusters(
            in range: Range<Int>, holdingBackLast: Bool, into buffer: inout NormalizedBuffer
        ) -> Int {
            let text = String(decoding: UnsafeBufferPointer(rebasing: input[range]), as: UTF8.self)
            var offset = range.lowerBound
            var index = text.startIndex
            while index < text.endIndex {
                let next = text.index(after: index)
                if holdingBackLast && next == text.endIndex { break }
                let cluster = text[index..<next]
                let length = cluster.utf8.count
                let first = cluster.unicodeScalars.first!
                let traits = ScalarTraits.of(first.value)
                if length == UTF8.width(first) && traits.contains(.plain) {
                    emitPlainScalar(first.value, traits: traits, at: offset..<offset + length, into: &buffer)
                } else {
                    emit(cluster, at: offset..<offset + length, into: &buffer)
                }
                offset += length
                index = next
            }
            return offset
        }

        private mutating func emit(_ cluster: Substring, at range: Range<Int>, into buffer: inout NormalizedBuffer) {
            var normalized = normalizer.transform.apply(to: cluster)
            normalized.withUTF8 { output.emit(range, $0, into: &buffer) }
        }

        private static let replacementCharacter: [UInt8] = [0xEF, 0xBF, 0xBD]

        /// Skips the scalars from `start` on that are plain and need no more than the
        /// affine fold (ASCII but CR eight bytes at a time); returns where they end and
        /// where the last of them starts.
        @inline(__always)
        private static func affineRunEnd(
            _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, table: [ScalarTraits], changing: ScalarTraits
        ) -> (end: Int, lastStart: Int) {
            var index = start
            var lastStart = start
            while index < bytes.count {
                let lead = bytes[index]
                if lead < 0x80 {
                    guard lead != 0x0D else { break }
                    index = asciiRunEnd(bytes, from: index + 1)
                    lastStart = index - 1
                    continue
                }
                // A cut or invalid sequence stops the run; the caller decodes it properly.
                guard case .scalar(let value, let length) = UTF8Step.decode(bytes, at: index, isFinal: true)
                else { break }
                let traits = ScalarTraits.of(value, basicPlane: table)
                guard traits.contains(.plain) && traits.isDisjoint(with: changing) else { break }
                lastStart = index
                index += length
            }
            return (index, lastStart)
        }

        /// The end of the run of ASCII bytes other than CR that starts at `start`,
        /// eight bytes at a time.
        @inline(__always)
        private static func asciiRunEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
            var index = start
            if let base = UnsafeRawPointer(bytes.baseAddress) {
                while index + 8 <= bytes.count {
                    let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    // The classic "has a zero byte" test, on the word XOR eight CRs.
                    let crs = word ^ 0x0D0D_0D0D_0D0D_0D0D
                    let hasCR = (crs &- 0x0101_0101_0101_0101) & ~crs
                    if (word | hasCR) & 0x8080_8080_8080_8080 != 0 { break }
                    index += 8
                }
            }
            while index < bytes.count && bytes[index] < 0x80 && bytes[index] != 0x0D { index += 1 }
            return index
        }
    }

    /// Appends decided clusters to the buffer. Clusters that the affine fold
    /// normalizes stay in one pending affine run, copied from the input and folded in
    /// bulk when something else comes.
    private struct Output {
        let input: UnsafeBufferPointer<UInt8>
        let fold: AffineFold
        /// Input before this offset is in the buffer; from it to the emitted end, the
        /// text is one pending affine run.
        var flushed = 0

        /// Emits the cluster `range` of the input, normalized to `normalized`.
        mutating func emit(
            _ range: Range<Int>, _ normalized: UnsafeBufferPointer<UInt8>, into buffer: inout NormalizedBuffer
        ) {
            let original = UnsafeBufferPointer(rebasing: input[range])
            let isOneScalar = Self.isOneScalar(original)
            // An unchanged cluster, or one scalar that the fold maps, joins the pending
            // run; a cluster of several scalars that changed maps only as a whole.
            if isOneScalar ? fold.reproduces(normalized, from: original) : normalized.elementsEqual(original) {
                return
            }
            flush(upTo: range.lowerBound, into: &buffer)
            if isOneScalar && normalized.count == original.count && Self.isOneScalar(normalized) {
                // One scalar for one of the same length still maps byte for byte.
                buffer.appendAffine(normalized)
            } else {
                buffer.appendCluster(normalized, originalCount: range.count)
            }
            flushed = range.upperBound
        }

        mutating func flush(upTo end: Int, into buffer: inout NormalizedBuffer) {
            guard end > flushed else { return }
            buffer.appendAffine(UnsafeBufferPointer(rebasing: input[flushed..<end]))
            buffer.rewriteLast(end - flushed, fold.apply)
            flushed = end
        }

        /// Whether valid UTF-8 `bytes` hold exactly one scalar: the lead byte says how long it is.
        private static func isOneScalar(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            guard let lead = bytes.first else { return false }
            let length = lead < 0x80 ? 1 : (~lead).leadingZeroBitCount
            return length == bytes.count
        }
    }
}
