import PropertyBased
import Testing

@testable import OutguardLog

@Suite struct CaptureSamplerTests {
    @Test func answersWithFindingsAreCapturedWhenAskedFor() {
        var random = Xoshiro(seed: (1, 0, 0, 0))
        let sampler = CaptureSampler(CaptureConfig(path: "c.jsonl"))
        #expect(sampler.captures(hadFindings: true, using: &random))
        #expect(!(0..<1_000).contains { _ in sampler.captures(hadFindings: false, using: &random) })
        let clean = CaptureSampler(CaptureConfig(path: "c.jsonl", findings: false))
        #expect(!clean.captures(hadFindings: true, using: &random))
    }

    @Test func cleanAnswersAreSampledAtTheRate() {
        var random = Xoshiro(seed: (2, 0, 0, 0))
        let sampler = CaptureSampler(CaptureConfig(path: "c.jsonl", findings: false, sampleRate: 0.1))
        let captured = (0..<10_000).count { _ in sampler.captures(hadFindings: false, using: &random) }
        #expect((800...1_200).contains(captured))
        let always = CaptureSampler(CaptureConfig(path: "c.jsonl", sampleRate: 1))
        #expect((0..<1_000).allSatisfy { _ in always.captures(hadFindings: false) })
    }
}
