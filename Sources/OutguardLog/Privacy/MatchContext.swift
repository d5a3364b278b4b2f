/// The `match` and `context` of the findings of one text (a choice, a content block), in
/// the log's privacy form.
///
/// A context shows the text around a finding with *every* finding in it replaced by its
/// privacy form, not only the record's own: a second secret right next to the first must
/// not reach the log through the first one's context. Findings that overlap (two rules
/// on the same digits) are replaced as one. A finding that ends (or starts) inside a
/// token, a run of the ASCII letters, digits and `+/=_-.` that keys, tokens and base64 are
/// written in, is replaced together with the rest of that token: rules for secrets match
/// a key's first characters (a private key's header and 16 characters of its body, so a
/// stream is stopped early), and the characters after them are the key too.
///
/// It works on the text's UTF-8 bytes, where the engine reports findings, read in place
/// from the string's storage, and walks only the windows around them: every response with
/// findings is logged, and decoding a whole answer into scalars for a few dozen characters
/// of context was most of its cost (copying it out cost an allocation too large for
/// malloc's per-thread cache).
public struct MatchContext: Sendable {
    private let text: String
    private let spans: [Range<Int>]
    /// The findings' spans merged where they overlap, sorted: what a context replaces.
    private let regions: [Range<Int>]
    /// Each region in its privacy form (UTF-8), made once: every context near it shows it,
    /// and so does the match of a finding that is a region of its own.
    private let writtenRegions: [[UInt8]]
    private let form: MatchForm
    private let radius: Int

    /// `spans` are the findings' places in `text` in UTF-8 bytes `[start, end)`; a context
    /// shows `radius` characters (Unicode scalars) on each side of its finding, `…` where
    /// it is cut.
    public init(text: String, spans: [Range<Int>], form: MatchForm, radius: Int = 32) {
        self.text = text
        self.form = form
        self.radius = radius
        (self.spans, regions, writtenRegions) = Self.withUTF8(of: text) { utf8 in
            // Clamped and widened to whole characters rather than trusted: a wrong span must
            // cost a context, not the daemon, and never half a character.
            let spans = spans.map { Self.whole($0.clamped(to: 0..<utf8.count), in: utf8) }
            var regions: [Range<Int>] = []
            let tokens = spans.map { Self.wholeToken($0, in: utf8) }
            for span in tokens.sorted(by: { $0.lowerBound < $1.lowerBound }) where !span.isEmpty {
                if let last = regions.last, span.lowerBound < last.upperBound {
                    regions[regions.count - 1] = last.lowerBound..<max(last.upperBound, span.upperBound)
                } else {
                    regions.append(span)
                }
            }
            let written = form.keepsText ? regions.map { Self.written(utf8, $0, in: form) } : []
            return (spans, regions, written)
        }
    }

    /// The text of finding `index` (an index into `spans`) in the privacy form, as UTF-8;
    /// `nil` with `none`. Bytes, not a `String`: the log writes them as they are, and a
    /// string would be allocated and its UTF-8 checked only to be read back.
    public func match(of index: Int) -> [UInt8]? {
        guard form.keepsText else { return nil }
        let span = spans[index]
        if let region = regions.firstIndex(of: span) { return writtenRegions[region] }
        return Self.withUTF8(of: text) { Self.written($0, span, in: form) }
    }

    /// The text around finding `index`, as UTF-8; `nil` with `none`.
    public func context(of index: Int) -> [UInt8]? {
        guard form.keepsText else { return nil }
        let span = spans[index]
        return Self.withUTF8(of: text) { utf8 in
            var window = back(from: span.lowerBound, in: utf8)..<forward(from: span.upperBound, in: utf8)
            // A finding the window cuts is shown whole, in its form: half of it raw would leak.
            for region in regions where region.overlaps(window) {
                window = min(window.lowerBound, region.lowerBound)..<max(window.upperBound, region.upperBound)
            }
            var context: [UInt8] = []
            context.reserveCapacity(window.count + 16)
            if window.lowerBound > 0 { context.append(contentsOf: Self.ellipsis) }
            var position = window.lowerBound
            for (region, written) in zip(regions, writtenRegions) where window.contains(region.lowerBound) {
                context.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[position..<region.lowerBound]))
                context.append(contentsOf: written)
                position = region.upperBound
            }
            context.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[position..<window.upperBound]))
            if window.upperBound < utf8.count { context.append(contentsOf: Self.ellipsis) }
            return context
        }
    }

    /// Calls `body` with the text's UTF-8, in place when the string stores it contiguously
    /// (a native string always does).
    private static func withUTF8<Result>(
        of text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result
    ) -> Result {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(text.utf8).withUnsafeBufferPointer(body)
    }

    private static let ellipsis = Array("…".utf8)

    /// The offset `radius` characters before `offset` (or the start).
    private func back(from offset: Int, in utf8: UnsafeBufferPointer<UInt8>) -> Int {
        var position = offset
        var characters = 0
        while position > 0, characters < radius {
            position -= 1
            if !Self.isContinuation(utf8[position]) { characters += 1 }
        }
        return position
    }

    /// The offset `radius` characters after `offset` (or the end).
    private func forward(from offset: Int, in utf8: UnsafeBufferPointer<UInt8>) -> Int {
        var position = offset
        var characters = 0
        while position < utf8.count, characters < radius {
            position += 1
            while position < utf8.count, Self.isContinuation(utf8[position]) { position += 1 }
            characters += 1
        }
        return position
    }

    /// `range` of `utf8` (whole characters) in `form`.
    private static func written(
        _ utf8: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, in form: MatchForm
    ) -> [UInt8] {
        form.written(utf8: UnsafeBufferPointer(rebasing: utf8[range])) ?? []
    }

    /// `span` widened to the characters it touches.
    private static func whole(_ span: Range<Int>, in utf8: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        var (start, end) = (span.lowerBound, span.upperBound)
        while start > 0, start < utf8.count, isContinuation(utf8[start]) { start -= 1 }
        while end < utf8.count, isContinuation(utf8[end]) { end += 1 }
        return start..<max(start, end)
    }

    private static func isContinuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }

    /// `span` widened over the token it cuts into at either end (nothing when it starts
    /// and ends at a token's edge, or outside tokens: Japanese text around an address
    /// stays as it is).
    private static func wholeToken(_ span: Range<Int>, in utf8: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        guard !span.isEmpty else { return span }
        var (start, end) = (span.lowerBound, span.upperBound)
        if isToken(utf8[start]) {
            while start > 0, isToken(utf8[start - 1]) { start -= 1 }
        }
        if isToken(utf8[end - 1]) {
            while end < utf8.count, isToken(utf8[end]) { end += 1 }
        }
        return start..<end
    }

    private static func isToken(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="), UInt8(ascii: "_"), UInt8(ascii: "-"),
            UInt8(ascii: "."):
            true
        default: false
        }
    }
}
