public import Foundation
public import OutguardConfig

/// What the admin API and `/readyz` say about the policy in force and the last reloads.
public struct ReloadStatus: Sendable {
    /// The rule set's digest of the policy serving new requests.
    public var ruleset: String
    /// When it was loaded (start or reload).
    public var loadedAt: Date
    public var reloads = 0
    public var failedReloads = 0
    /// The newest failed reload, until a reload succeeds.
    public var failure: Failure?
    /// Keys changed on disk that only a restart applies (see `ServerConfig.applied(over:)`).
    public var needRestart: [String] = []

    public struct Failure: Sendable {
        public var at: Date
        public var trigger: ReloadTrigger
        /// file:line:col and what to write instead, as `outguard lint` prints them.
        public var diagnostics: [String]
    }

    init(_ setup: DaemonSetup, at date: Date) {
        ruleset = setup.ruleset
        loadedAt = date
    }
}

/// What asked for a reload; the `source` of the `reload` record.
public enum ReloadTrigger: String, Sendable {
    /// SIGHUP, as `systemctl reload` sends it.
    case signal
    /// `POST /admin/reload`.
    case admin
    /// A watched file changed.
    case watch
}

/// How one reload went.
public enum ReloadOutcome: Sendable {
    /// The new policy serves new requests; `needRestart` lists changed keys a reload cannot apply.
    case reloaded(oldRuleset: String, ruleset: String, needRestart: [String])
    /// Nothing changed: the old policy keeps serving. Errors and warnings, in order.
    case failed([Diagnostic])
}
