import Testing

@testable import OutguardEngine

@Suite struct PrefilterTests {
    @Test(arguments: [
        (#"pass=\Kvalue"#, #"pass=value"#),
        (#"a\\Kb"#, #"a\\Kb"#),
        (#"\d+\K\w"#, #"\d+\w"#),
        (#"x\Q\K\Ey\K"#, #"x\Q\K\Ey"#),
    ])
    func matchStartResetsAreDroppedForVectorscan(_ pattern: String, _ expected: String) {
        #expect(Prefilter.withoutMatchStartResets(pattern) == expected)
    }

    @Test func vectorscanTakesPatternsWithAMatchStartReset() {
        let prefilter = Prefilter(patterns: [(#"password=\K[a-z0-9]{4,}"#, [.caseless]), ("(?<=ab)c", [])])
        #expect(prefilter.alwaysCandidates.isEmpty)
    }

    @Test func aRuleWithAMatchStartResetIsStillFound() throws {
        let rule = regexRule("secrets.pw", #"password=\K[a-z0-9]{4,}"#)
        let verdict = try policy(rule).evaluate("set password=hunter22 now")
        #expect(verdict.text == "set password=[X] now")
    }
}
