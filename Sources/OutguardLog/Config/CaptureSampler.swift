/// Decides whether an answer goes to the capture file: every answer with findings when
/// `findings` is on, and a random `sample_rate` share of the rest, so replay also sees
/// what the current rules leave alone.
public struct CaptureSampler: Sendable {
    private let config: CaptureConfig

    public init(_ config: CaptureConfig) {
        self.config = config
    }

    public func captures(hadFindings: Bool) -> Bool {
        var generator = SystemRandomNumberGenerator()
        return captures(hadFindings: hadFindings, using: &generator)
    }

    /// With the caller's generator, for tests that need the same draws every run.
    public func captures(hadFindings: Bool, using generator: inout some RandomNumberGenerator) -> Bool {
        if hadFindings, config.findings { return true }
        return config.sampleRate > 0 && Double.random(in: 0..<1, using: &generator) < config.sampleRate
    }
}
