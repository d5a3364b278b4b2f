import NIOCore
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

    /// What to send, each text with its findings, and the outcome.
    typealias Filtered = (result: Result, texts: [FilteredText], outcome: Verdict.Outcome)

    let adapter: any ProviderAdapter
    let policy: Policy
    let options: FilterOptions
    let failClosed: Bool
    let refuseWithError: Bool

    /// What the policy made of one text.
    private struct Checked {
        var text: String
        var findings: [Finding]
        var stop: (finding: Finding, message: String)?
    }

    /// One text of the body, where it sits.
    private typealias Place = (segment: SegmentKey, node: JSONNode, text: String)

    /// Filters `body` with the engine's rules (a policy without classifier rules).
    func filter(_ body: [UInt8]) -> Filtered {
        let document: JSONDocument
        do {
            document = try JSONDocument(body)
        } catch {
            return (.malformed(error), [], .pass)
        }
        let places = places(in: document)
        let checked = places.map { place in
            let verdict = policy.evaluate(place.text)
            return Checked(
                text: verdict.text, findings: verdict.findings,
                stop: policy.stop(blockedBy: verdict.blockedBy, findings: verdict.findings, failClosed: failClosed))
        }
        return apply(checked, at: places, in: document)
    }

    /// Filters `body` with the engine's rules and the classifier rules; every unit of
    /// every text is asked at once.
    func filter(_ body: [UInt8], asking asker: ClassifierAsker) -> EventLoopFuture<Filtered> {
        let document: JSONDocument
        do {
            document = try JSONDocument(body)
        } catch {
            return asker.eventLoop.makeSucceededFuture((.malformed(error), [], .pass))
        }
        let places = places(in: document)
        var segments: [SegmentText] = []
        var findings: [[Finding]] = []
        var calls: [(text: Int, call: ClassifierGate.Call)] = []
        for (position, place) in places.enumerated() {
            let segment = SegmentText(policy: policy, failClosed: failClosed, classifiers: asker.plan, keepsOriginal: false)
            _ = segment.feed(place.text)
            findings.append(segment.finish())
            calls += segment.takeCalls().map { (position, $0) }
            segments.append(segment)
        }
        let answers = calls.map { asker.ask($0.call) }
        return EventLoopFuture.whenAllSucceed(answers, on: asker.eventLoop).assumeIsolated().map { results in
            for ((position, call), result) in zip(calls, results) {
                findings[position] += segments[position].answer(result, lane: call.lane, unit: call.unit)
            }
            let checked = places.indices.map { position in
                let shown = segments[position].shownText(start: 0, original: places[position].text)
                return Checked(
                    text: shown.map { String(decoding: $0, as: UTF8.self) } ?? places[position].text,
                    // In text order, as the engine gives its own.
                    findings: findings[position].sorted { $0.byteSpan.lowerBound < $1.byteSpan.lowerBound },
                    stop: segments[position].stop.map { ($0.finding, $0.message) })
            }
            return apply(checked, at: places, in: document)
        }.nonisolated()
    }

    private func places(in document: JSONDocument) -> [Place] {
        adapter.texts(in: document.root, options: options).compactMap { segment, node in
            node.string.map { (segment, node, $0) }
        }
    }

    /// Writes the checked texts back: a stop blocks the answer (or refuses it), a
    /// changed text replaces its value.
    private func apply(_ checked: [Checked], at places: [Place], in document: JSONDocument) -> Filtered {
        var edits = JSONEdits()
        var texts: [FilteredText] = []
        var outcome = Verdict.Outcome.pass
        for (place, result) in zip(places, checked) {
            texts.append(FilteredText(segment: place.segment, original: place.text, findings: result.findings))
            if let (_, message) = result.stop {
                outcome = .block
                if refuseWithError { return (.refused(message: message), texts, .block) }
                adapter.blockAnswer(in: document.root, segment: place.segment, message: message, edits: &edits)
            } else {
                outcome = outcome.combined(with: Verdict.Outcome(findings: result.findings, blocked: false))
                if result.text != place.text { edits.replace(place.node, withString: result.text) }
            }
        }
        return (edits.isEmpty ? .unchanged : .rewritten(document.applying(edits)), texts, outcome)
    }
}
