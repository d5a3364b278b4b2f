import OutguardEngine

/// Filters a whole (non-streamed) response body: every text the adapter finds is
/// evaluated on its own; only changed values are rewritten, all other bytes stay.
struct BodyFilter {
    enum Result {
        /// Nothing changed: send the upstream's bytes.
        case unchanged
        case rewritten([UInt8])
        /// A text is blocked and the config asks for an HTTP error instead of a refusal.
        case refused(message: String)
        /// The body is not the JSON this API returns.
        case malformed(JSONSyntaxError)
    }

    let adapter: any ProviderAdapter
    let policy: Policy
    let options: FilterOptions
    let failClosed: Bool
    let refuseWithError: Bool

    /// Filters `body`; returns what to send, each text with its findings, and the outcome.
    func filter(_ body: [UInt8]) -> (result: Result, texts: [FilteredText], outcome: Verdict.Outcome) {
        let document: JSONDocument
        do {
            document = try JSONDocument(body)
        } catch {
            return (.malformed(error), [], .pass)
        }
        var edits = JSONEdits()
        var texts: [FilteredText] = []
        var outcome = Verdict.Outcome.pass
        for (segment, node) in adapter.texts(in: document.root, options: options) {
            guard let text = node.string else { continue }
            let verdict = policy.evaluate(text)
            texts.append(FilteredText(segment: segment, original: text, findings: verdict.findings))
            if let (_, message) = policy.stop(
                blockedBy: verdict.blockedBy, findings: verdict.findings, failClosed: failClosed)
            {
                outcome = .block
                if refuseWithError { return (.refused(message: message), texts, .block) }
                adapter.blockAnswer(in: document.root, segment: segment, message: message, edits: &edits)
            } else {
                outcome = outcome.combined(with: verdict.outcome)
                if verdict.text != text { edits.replace(node, withString: verdict.text) }
            }
        }
        return (edits.isEmpty ? .unchanged : .rewritten(document.applying(edits)), texts, outcome)
    }
}
