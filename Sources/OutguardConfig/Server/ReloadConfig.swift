/// How a running daemon notices changed rules (`reload: {watch, interval_ms}`). SIGHUP and
/// `POST /admin/reload` reload whatever this says.
public struct ReloadConfig: Sendable, Equatable {
    /// `watch`: look at the config file and the rule files every `intervalMs` and reload
    /// when one of them changed (a ConfigMap update that swaps a symlink included).
    public var watch = true
    /// `interval_ms`: how often to look; a change is applied once it has held still for
    /// one interval, so a file caught half-written is not loaded.
    public var intervalMs = 1_000

    public init() {}
}
