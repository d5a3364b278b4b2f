/// What the capture file keeps (`log.capture`): the original text of answers, so a changed
/// rule set can be replayed on real traffic. Opt-in, as the text is what the rules protect.
public struct CaptureConfig: Sendable, Equatable {
    public var path: String
    /// Capture every answer that had findings (`findings`).
    public var findings = true
    /// The share of the other answers captured, from 0 to 1 (`sample_rate`).
    public var sampleRate = 0.0

    public init(path: String, findings: Bool = true, sampleRate: Double = 0) {
        self.path = path
        self.findings = findings
        self.sampleRate = sampleRate
    }
}
