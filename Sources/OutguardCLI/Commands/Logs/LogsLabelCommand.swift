import ArgumentParser
import OutguardLog

/// `outguard logs label`: a reviewer's judgement of a finding, from the command line. The
/// same `feedback` record as the app's `POST /v1/outguard/feedback` and the review page's
/// buttons, with `source: cli`.
struct LogsLabelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "label",
        abstract: "Label a finding of one request: false_positive, false_negative or correct.",
        discussion: """
            The request must be in the log. A rule that fired for the request can be
            labelled anything; a rule that did not fire only false_negative. The record is
            appended to the configured log (or to the one log the named files belong to).

            Examples:
              outguard logs label og-7f3a9c0d2e4b1a66 --rule pii.email --as false_positive --note "our support address"
              outguard logs label og-7f3a9c0d2e4b1a66 --rule pii.phone-jp --as false_negative
            """)

    @Argument(help: "The request's id (its Outguard-Request-Id header).")
    var requestID: String

    @Option(
        name: .customLong("as"), help: "false_positive, false_negative or correct.",
        transform: { text in
            guard let label = LogRecord.Label(rawValue: text) else {
                throw ValidationError("--as \(text): write false_positive, false_negative or correct")
            }
            return label
        })
    var label: LogRecord.Label

    @Option(help: "The rule the label is about (without it: the whole response).")
    var rule: String?

    @Option(help: "A note for whoever tunes the rule.")
    var note: String?

    @Option(help: "The log file to append to, when the files named belong to several logs.")
    var to: String?

    @OptionGroup var source: LogFileOptions

    func run() throws {
        let files = try source.resolve()
        var found = false
        var fired: Set<String> = []
        try LogReading.read(files.paths, detail: .counting) { record, _ in
            guard record.requestID == requestID else { return }
            found = true
            if record.event == .violation, let rule = record.rule { fired.insert(rule) }
        }
        guard found else {
            throw CommandFailure(
                "no record of request \(requestID) in \(files.paths.joined(separator: ", ")); "
                    + "label a request the log has seen (the response's Outguard-Request-Id header)")
        }
        if let rule, label != .falseNegative, !fired.contains(rule) {
            let rules = fired.isEmpty ? "none" : fired.sorted().joined(separator: ", ")
            throw CommandFailure(
                "request \(requestID) has no finding of \(rule) (its findings: \(rules)); "
                    + "a rule that did not fire can only be labelled false_negative")
        }
        guard let target = to ?? (files.livePaths.count == 1 ? files.livePaths.first : nil) else {
            throw CommandFailure(
                "the files named belong to several logs (\(files.livePaths.joined(separator: ", "))); "
                    + "say which one gets the label with --to FILE")
        }
        var record = LogRecord(event: .feedback)
        record.requestID = requestID
        record.rule = rule
        record.label = label
        record.note = note
        record.source = "cli"
        var log = LogConfig()
        log.path = target
        try LogAppender.append(record, to: log.violationFile!)
        Terminal.print("labelled \(requestID)\(rule.map { " \($0)" } ?? "") as \(label.rawValue) in \(target)")
    }
}
