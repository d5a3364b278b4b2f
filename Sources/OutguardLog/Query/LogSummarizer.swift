/// Counts records into a `LogSummary` as they are read, one at a time.
///
/// Memory grows with the number of groups and of distinct requests, never with the
/// number of records: per request it keeps a number, its model and day, and which
/// groups and rules it hit (to count requests and to place feedback).
///
/// Feedback is placed when the summary is made, not when it is read, because it can
/// come before the request's violations (logs of several sidecars are read one after
/// the other, and the app may send feedback to another sidecar than the one that
/// served the request). Feedback with a `rule` counts for that rule's group; feedback
/// without one counts for every rule the request hit. By model and by day, feedback
/// counts where its request's hits are.
public struct LogSummarizer {
    public let grouping: LogSummary.Grouping
    /// Violations must match it; feedback must match its time, rule and pack. Its event
    /// filter does not apply: a summary is about violations and the feedback on them.
    public let query: LogQuery

    private var groupIndex: [GroupKey: Int] = [:]
    private var groupKeys: [GroupKey] = []
    private var counts: [LogSummary.Counts] = []

    private var requestIndex: [String: Int32] = [:]
    private var requestFacts: [RequestFacts] = []
    /// (request, group) pairs with a hit, to count each request once per group.
    private var requestGroups = Set<UInt64>()
    /// (request, rule) pairs from violations and request summaries, for feedback without a rule.
    private var requestRules = Set<UInt64>()
    private var requestsWithHits = 0
    /// The last request seen: a request's records are mostly together, so this saves
    /// hashing its id for each of them.
    private var lastRequest: (id: String, index: Int32)?

    private var ruleIndex: [String: Int32] = [:]
    private var ruleNames: [String] = []
    private var packOfRule: [Int32: String] = [:]
    private var feedback: [Feedback] = []

    public init(grouping: LogSummary.Grouping, query: LogQuery = LogQuery()) {
        self.grouping = grouping
        var query = query
        query.event = nil
        self.query = query
    }

    public mutating func add(_ record: LogRecord) {
        switch record.event {
        case .violation:
            // What a request hit is noted whether or not the query counts it: feedback
            // placed later needs it.
            let request = record.requestID.map { self.request($0, record) }
            let rule = record.rule.map { ruleNumber($0) }
            if let rule, let pack = record.pack { packOfRule[rule] = pack }
            if let request, let rule { requestRules.insert(Self.pair(request, rule)) }
            if query.matches(record) { countHit(record, request: request) }
        case .request:
            guard let id = record.requestID else { return }
            let request = self.request(id, record)
            for rule in record.rules ?? [] { requestRules.insert(Self.pair(request, ruleNumber(rule))) }
        case .feedback:
            guard let id = record.requestID, let label = record.label else { return }
            if let since = query.since, record.ts < since { return }
            feedback.append(
                Feedback(
                    request: request(id, record), rule: record.rule.map { ruleNumber($0) }, pack: record.pack,
                    model: record.model, day: LogTimestamp.dayNumber(of: record.ts), label: label))
        case .engineError, .reload:
            break
        }
    }

    /// The summary of everything added so far.
    public func summary() -> LogSummary {
        var summary = self
        summary.placeFeedback()
        let rows = summary.groupKeys.indices.map {
            LogSummary.Row(key: summary.groupKeys[$0].description, counts: summary.counts[$0])
        }
        // A group that only has feedback is shown, unless a mode filter asks for hits of one mode.
        .filter { query.mode == nil || $0.counts.hits > 0 }
        var total = LogSummary.Counts()
        for row in rows {
            total.hits += row.counts.hits
            total.enforced += row.counts.enforced
            total.shadow += row.counts.shadow
            total.falsePositive += row.counts.falsePositive
            total.falseNegative += row.counts.falseNegative
            total.correct += row.counts.correct
        }
        total.requests = requestsWithHits
        let sorted =
            grouping == .day
            ? rows.sorted { $0.key < $1.key }
            : rows.sorted { ($0.counts.hits, $1.key) > ($1.counts.hits, $0.key) }
        return LogSummary(grouping: grouping, rows: sorted, total: total)
    }

    private mutating func countHit(_ record: LogRecord, request: Int32?) {
        let day = LogTimestamp.dayNumber(of: record.ts)
        let group = self.group(for: groupKey(rule: record.rule, pack: record.pack, model: record.model, day: day))
        counts[group].hits += 1
        if record.mode == "enforce" { counts[group].enforced += 1 }
        if record.mode == "shadow" { counts[group].shadow += 1 }
        guard let request else { return }
        if requestGroups.insert(Self.pair(request, Int32(group))).inserted { counts[group].requests += 1 }
        if !requestFacts[Int(request)].hasHits {
            requestFacts[Int(request)].hasHits = true
            requestsWithHits += 1
        }
    }

    private mutating func placeFeedback() {
        var rulesOfRequest: [Int32: [Int32]] = [:]
        let unnamed = Set(feedback.filter { $0.rule == nil }.map(\.request))
        for pair in requestRules where unnamed.contains(Int32(truncatingIfNeeded: pair >> 32)) {
            rulesOfRequest[Int32(truncatingIfNeeded: pair >> 32), default: []].append(Int32(truncatingIfNeeded: pair))
        }
        for item in feedback {
            let facts = requestFacts[Int(item.request)]
            // Without a rule and without any record of what the request hit: one unnamed rule.
            let rules: [Int32?] = item.rule.map { [$0] } ?? rulesOfRequest[item.request]?.sorted().map { $0 } ?? [nil]
            var groups = Set<Int>()
            for rule in rules {
                let name = rule.map { ruleNames[Int($0)] }
                let pack = item.pack ?? rule.flatMap { packOfRule[$0] }
                if let wanted = query.rule, name != wanted { continue }
                if let wanted = query.pack, pack != wanted { continue }
                let key = groupKey(rule: name, pack: pack, model: item.model ?? facts.model, day: facts.day ?? item.day)
                groups.insert(group(for: key))
            }
            for group in groups { counts[group].count(item.label) }
        }
    }

    private func groupKey(rule: String?, pack: String?, model: String?, day: Int) -> GroupKey {
        switch grouping {
        case .rule: .name(rule)
        case .pack: .name(pack)
        case .model: .name(model)
        case .day: .day(day)
        }
    }

    private mutating func group(for key: GroupKey) -> Int {
        if let index = groupIndex[key] { return index }
        groupIndex[key] = counts.count
        groupKeys.append(key)
        counts.append(LogSummary.Counts())
        return counts.count - 1
    }

    /// The request's number, noting its model and day from the first record that has them.
    private mutating func request(_ id: String, _ record: LogRecord) -> Int32 {
        let index: Int32
        if let lastRequest, lastRequest.id == id {
            index = lastRequest.index
        } else if let known = requestIndex[id] {
            index = known
        } else {
            index = Int32(requestFacts.count)
            requestIndex[id] = index
            requestFacts.append(RequestFacts())
        }
        lastRequest = (id, index)
        if record.event != .feedback {
            requestFacts[Int(index)].model = requestFacts[Int(index)].model ?? record.model
            requestFacts[Int(index)].day = requestFacts[Int(index)].day ?? LogTimestamp.dayNumber(of: record.ts)
        }
        return index
    }

    private mutating func ruleNumber(_ rule: String) -> Int32 {
        if let known = ruleIndex[rule] { return known }
        ruleIndex[rule] = Int32(ruleNames.count)
        ruleNames.append(rule)
        return Int32(ruleNames.count - 1)
    }

    private static func pair(_ first: Int32, _ second: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: first)) << 32 | UInt64(UInt32(bitPattern: second))
    }
}

/// What a group is keyed by: a name (rule, pack, model), or a day number.
private enum GroupKey: Hashable, CustomStringConvertible {
    case name(String?)
    case day(Int)

    var description: String {
        switch self {
        case .name(let name): name ?? "(none)"
        case .day(let day): LogTimestamp.dayString(days: day)
        }
    }
}

/// What the summary keeps about a request.
private struct RequestFacts {
    var model: String?
    var day: Int?
    var hasHits = false
}

/// A feedback record, waiting until the end to be placed.
private struct Feedback {
    let request: Int32
    let rule: Int32?
    let pack: String?
    let model: String?
    /// The feedback's own day, for a request the log has no other record of.
    let day: Int
    let label: LogRecord.Label
}
