import OutguardEngine

extension Policy {
    /// What the user sees instead of a text that could not be checked (`fail_mode: closed`).
    static let uncheckedMessage = "The answer could not be checked, so it is not shown."

    /// The finding that stops a text and the message shown instead: an enforced block,
    /// or, when failing closed, a rule that could not be evaluated. Whole answers and
    /// streams decide it here alike.
    func stop(blockedBy: Finding?, findings: [Finding], failClosed: Bool) -> (finding: Finding, message: String)? {
        if let blockedBy { return (blockedBy, message(for: blockedBy)) }
        if failClosed, let failure = findings.first(where: { $0.kind == .engineError }) {
            return (failure, Self.uncheckedMessage)
        }
        return nil
    }
}
