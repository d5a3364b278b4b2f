@testable import OutguardEngine

/// Builders that keep the tests short.
func regexRule(
    _ id: String, _ pattern: String, flags: Set<RegexFlag> = [], action: RuleAction = .redact,
    replacement: String = "[X]", normalize: Normalization = [], validate: Validator? = nil,
    mode: RuleMode = .enforce, message: String? = nil
) -> RuleDefinition {
    RuleDefinition(
        id: id, pack: id.split(separator: ".").first.map(String.init) ?? id,
        matcher: .regex(pattern: pattern, flags: flags), normalization: normalize, validator: validate,
        action: action, replacement: replacement, message: message, mode: mode)
}

func lexiconRule(
    _ id: String, _ terms: [String], exceptions: [String] = [], action: RuleAction = .redact,
    replacement: String = "[X]", normalize: Normalization = [], mode: RuleMode = .enforce
) -> RuleDefinition {
    RuleDefinition(
        id: id, pack: id.split(separator: ".").first.map(String.init) ?? id,
        matcher: .lexicon(terms: terms, exceptions: exceptions), normalization: normalize, action: action,
        replacement: replacement, mode: mode)
}

func policy(_ rules: RuleDefinition..., limits: EngineLimits = EngineLimits()) throws -> Policy {
    try Policy(rules: rules, ruleset: "test", limits: limits)
}

/// Feeds `pieces` one by one and returns everything released and the block, if any.
func stream(_ policy: Policy, _ pieces: [String]) -> (text: String, blockedBy: Finding?, findings: [Finding]) {
    var filter = policy.makeStreamFilter()
    var text = ""
    var findings: [Finding] = []
    var blockedBy: Finding?
    for piece in pieces {
        let output = filter.feed(piece)
        text += output.text
        findings += output.findings
        blockedBy = blockedBy ?? output.blockedBy
    }
    let last = filter.finish()
    return (text + last.text, blockedBy ?? last.blockedBy, findings + last.findings)
}
