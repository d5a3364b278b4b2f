import Hummingbird

/// Keeps the admin listener to those who have its token (when `admin.token_env` names a
/// set variable): scripts send `Authorization: Bearer <token>`; a browser, which cannot
/// set that header on a link, opens `/review?token=<token>` once and gets a session
/// cookie for the review pages instead. `/healthz` and `/readyz` stay open: a kubelet's
/// probes cannot send a secret, and they tell nothing a caller could misuse.
struct AccessMiddleware<Context: RequestContext>: RouterMiddleware {
    static var cookieName: String { "outguard_review" }

    /// The admin token; `nil` lets every request through.
    let token: Secret?
    /// Stands for the token in the browser: a random value per process, so the cookie
    /// never holds the token itself and a restart ends every session.
    let session: Secret
    /// The variable that holds the token, named in refusals so the user knows where to look.
    let tokenEnv: String

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let token, !Self.openPaths.contains(request.uri.path) else { return try await next(request, context) }
        let bearer = Self.bearerToken(request)
        if let bearer, token.matches(bearer) { return try await next(request, context) }
        guard Self.isReviewPage(request.uri.path) else { return refusal(wrongToken: bearer != nil) }
        if let cookie = request.cookies[Self.cookieName], session.matches(cookie.value) {
            return try await next(request, context)
        }
        if request.method == .get, request.uri.path == "/review",
            let offered = FormFields(request.uri.query ?? "")["token"]
        {
            guard token.matches(offered) else { return refusal(wrongToken: true) }
            // The token leaves the address bar (and the history) at once.
            var response = AdminResponse.redirect(to: "/review")
            response.setCookie(
                Cookie(name: Self.cookieName, value: session.text, path: "/review", httpOnly: true, sameSite: .strict))
            return response
        }
        return refusal(wrongToken: bearer != nil)
    }

    private static var openPaths: Set<String> { ["/healthz", "/readyz"] }

    /// The cookie is good for the review pages only: the other admin routes change the
    /// daemon and are for scripts with the header.
    private static func isReviewPage(_ path: String) -> Bool {
        path == "/review" || path.hasPrefix("/review/")
    }

    private static func bearerToken(_ request: Request) -> Substring? {
        guard let value = request.headers[.authorization], value.count > 7,
            value.prefix(7).lowercased() == "bearer "
        else { return nil }
        return value.dropFirst(7)
    }

    private func refusal(wrongToken: Bool) -> Response {
        let reason =
            wrongToken
            ? "That is not the admin token: it is the value of the environment variable \(tokenEnv) of `outguard serve`."
            : "The admin listener needs its token, the value of the environment variable \(tokenEnv) of `outguard serve`."
        var response = AdminResponse.text(
            reason + " Send it as `Authorization: Bearer <token>`, or open /review?token=<token> in a browser.",
            status: .unauthorized)
        response.headers[.wwwAuthenticate] = #"Bearer realm="outguard admin""#
        return response
    }
}
