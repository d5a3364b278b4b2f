import OutguardEngine

/// Times whole-text and streamed evaluation of one text.
struct Measurement {
    var wholeP50: Double
    var wholeP99: Double
    var megabytesPerSecond: Double
    var streamP50: Double
    var findings: Int

    static func run(policy: Policy, text: String, iterations: Int) -> Measurement {
        let pieces = TextSplitter.pieces(of: text, sizes: 4...20, seed: 7)
        let clock = ContinuousClock()
        var sink = 0
        for _ in 0..<max(iterations / 10, 5) { sink &+= policy.evaluate(text).text.utf8.count }

        var whole: [Double] = []
        whole.reserveCapacity(iterations)
        for _ in 0..<iterations {
            let started = clock.now
            let verdict = policy.evaluate(text)
            whole.append(microseconds(clock.now - started))
            sink &+= verdict.findings.count
        }
        var streamed: [Double] = []
        for _ in 0..<max(iterations / 4, 5) {
            let started = clock.now
            var filter = policy.makeStreamFilter()
            for piece in pieces { sink &+= filter.feed(piece).text.utf8.count }
            sink &+= filter.finish().text.utf8.count
            streamed.append(microseconds(clock.now - started))
        }
        precondition(sink != 0 || text.isEmpty)
        whole.sort()
        streamed.sort()
        let mean = whole.reduce(0, +) / Double(whole.count)
        return Measurement(
            wholeP50: whole[whole.count / 2], wholeP99: whole[min(whole.count - 1, whole.count * 99 / 100)],
            megabytesPerSecond: Double(text.utf8.count) / mean, streamP50: streamed[streamed.count / 2],
            findings: policy.evaluate(text).findings.count)
    }

    static func microseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1_000_000 + Double(attoseconds) / 1_000_000_000_000
    }
}
