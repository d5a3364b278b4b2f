/// The `match` and `context` of the findings of one text (a choice, a content block), in
/// the log's privacy form.
///
/// A context shows the text around a finding with *every* finding in it replaced by its
/// privacy form, not only the record's own: a second secret right next to the first must
/// not reach the log through the first one's context. Findings that overlap (two rules
/// on the same digits) are replaced as one.
public struct MatchContext: Sendable {
    /// The text, by Unicode scalar: findings' spans count scalars.
    private let scalars: [Unicode.Scalar]
    private let spans: [Range<Int>]
    /// The findings' spans merged where they overlap, sorted: what a context replaces.
    private let regions: [Range<Int>]
    private let form: MatchForm
    private let radius: Int

    /// `spans` are the findings' places in `text` as Unicode-scalar offsets `[start, end)`;
    /// a context shows `radius` scalars on each side of its finding, `…` where it is cut.
    public init(text: String, spans: [Range<Int>], form: MatchForm, radius: Int = 32) {
        let scalars = Array(text.unicodeScalars)
        // Clamped rather than trusted: a wrong span must cost a context, not the daemon.
        let spans = spans.map { $0.clamped(to: 0..<scalars.count) }
        var regions: [Range<Int>] = []
        for span in spans.sorted(by: { $0.lowerBound < $1.lowerBound }) where !span.isEmpty {
            if let last = regions.last, span.lowerBound < last.upperBound {
                regions[regions.count - 1] = last.lowerBound..<max(last.upperBound, span.upperBound)
            } else {
                regions.append(span)
            }
        }
        self.scalars = scalars
        self.spans = spans
        self.regions = regions
        self.form = form
        self.radius = radius
    }

    /// The text of finding `index` (an index into `spans`) in the privacy form; `nil` with `none`.
    public func match(of index: Int) -> String? {
        form.written(text(spans[index]))
    }

    /// The text around finding `index`; `nil` with `none`.
    public func context(of index: Int) -> String? {
        guard form.keepsText else { return nil }
        let span = spans[index]
        var window = max(0, span.lowerBound - radius)..<min(scalars.count, span.upperBound + radius)
        // A finding the window cuts is shown whole, in its form: half of it raw would leak.
        for region in regions where region.overlaps(window) {
            window = min(window.lowerBound, region.lowerBound)..<max(window.upperBound, region.upperBound)
        }
        var context = window.lowerBound > 0 ? "…" : ""
        var position = window.lowerBound
        for region in regions where window.contains(region.lowerBound) {
            context += text(position..<region.lowerBound)
            context += form.written(text(region)) ?? ""
            position = region.upperBound
        }
        context += text(position..<window.upperBound)
        if window.upperBound < scalars.count { context += "…" }
        return context
    }

    private func text(_ range: Range<Int>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[range])
        return String(view)
    }
}
