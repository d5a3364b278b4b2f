import Dispatch
import Foundation
import Hummingbird
import OutguardLog

/// `GET /review` (the page) and `POST /review/feedback` (its label buttons).
struct ReviewRoutes: Sendable {
    /// A label form is a few short fields; anything much larger is not from the page.
    static let maximumFormBytes = 16 << 10

    /// The configured log; `nil` when `log.path` is not set.
    let log: ReviewLog?
    /// The daemon's one violation-log writer, shared with the proxy.
    let writer: LogWriter<LogRecord>?
    let renderer: PageRenderer
    /// Proves a label post came from a page this process served: another site can make a
    /// browser post here, but cannot read the page to learn this value.
    let formToken: Secret

    func add(to router: Router<some RequestContext>) {
        router.get("/review") { request, _ in await page(request) }
        router.post("/review/feedback") { request, _ in try await feedback(request) }
    }

    func page(_ request: Request) async -> Response {
        let fields = FormFields(request.uri.query ?? "")
        let filter: ReviewFilter
        do {
            filter = try ReviewFilter(fields)
        } catch {
            return problem("That filter cannot be shown.", error.message, status: .badRequest, back: "/review")
        }
        let notice =
            fields["saved"] == nil
            ? nil : "Label saved. If it is not shown yet, reload in a moment: the log is written in short batches."
        var snapshot = ReviewLog.Snapshot()
        if let log {
            do {
                snapshot = try await Self.offThread { try log.read(filter, now: Date()) }
            } catch {
                return problem(
                    "The log could not be read.", "\(error)", status: .internalServerError, back: filter.pagePath)
            }
        }
        let page = ReviewPage(
            filter: filter, logPath: log?.path, snapshot: snapshot, formToken: formToken.text, notice: notice)
        return AdminResponse.page(renderer.render(page))
    }

    func feedback(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: Self.maximumFormBytes)
        let fields = FormFields(String(decoding: body.readableBytesView, as: UTF8.self))
        // Back to the view the label was given in; an unreadable view goes back to the default.
        let view = (try? ReviewFilter(FormFields(fields["view"] ?? ""))) ?? ReviewFilter()
        guard let writer else {
            return problem(
                "The label was not saved.", "No violation log is configured (`log.path` in outguard.yaml).",
                status: .conflict, back: view.pagePath)
        }
        guard let offered = fields["form_token"], formToken.matches(offered) else {
            return problem(
                "The label was not saved.",
                "The form did not come from this review page, or the page is older than the daemon's last start. "
                    + "Reload the review page and click the button again.",
                status: .forbidden, back: view.pagePath)
        }
        let form: FeedbackForm
        do {
            form = try FeedbackForm(fields)
        } catch {
            return problem("The label was not saved.", error.message, status: .badRequest, back: view.pagePath)
        }
        guard writer.submit(form.record(at: Date())) else {
            return problem(
                "The label was not saved.",
                "The log is not taking records right now (its queue is full, or the daemon is stopping). Try again.",
                status: .serviceUnavailable, back: view.pagePath)
        }
        // `saved` only shows a notice; the filters stay as they were.
        return AdminResponse.redirect(to: view.pagePath + (view.queryString.isEmpty ? "?" : "&") + "saved=1")
    }

    private func problem(_ heading: String, _ message: String, status: HTTPResponse.Status, back: String) -> Response {
        let page = ProblemPage(title: heading, heading: heading, message: message, backPath: back)
        return AdminResponse.page(renderer.render(page), status: status)
    }

    /// Reading a large log takes a while and blocks its thread: a Dispatch thread does it,
    /// so neither the event loops nor Swift's cooperative pool wait for the disk.
    private static func offThread<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value
    {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}
