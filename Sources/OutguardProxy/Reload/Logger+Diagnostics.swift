public import Logging
public import OutguardConfig

extension Logger {
    /// Logs each of `diagnostics` at its severity, its place first (`file:line:col: what`)
    /// and what to write instead as `fix`: at start and on every reload, so a mistake in a
    /// rule file reads the same wherever it is seen.
    public func report(_ diagnostics: [Diagnostic]) {
        for diagnostic in diagnostics {
            let level: Logger.Level = diagnostic.severity == .error ? .error : .warning
            log(
                level: level, "\(diagnostic.location.description): \(diagnostic.message)",
                metadata: diagnostic.fix.map { ["fix": "\($0)"] })
        }
    }
}
