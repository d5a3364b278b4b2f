import OutguardEngine

/// One text of a response as the filter saw it (a choice's content, a content block, a
/// tool call's arguments) and what fired in it: what the violation log and the capture
/// file are written from.
struct FilteredText: Sendable {
    var segment: SegmentKey
    /// The text as the upstream sent it; empty when it was not kept (no log configured).
    var original: String
    /// Every finding in the text, shadow and log ones included, in text order.
    var findings: [Finding]
}
