public import OutguardProxy

/// The parts of a running `outguard serve` the admin listener reports on and steers: the
/// runtime serving new requests and the reloader that replaces it.
public struct RunningDaemon: Sendable {
    public let store: RuntimeStore
    public let reloader: PolicyReloader

    public init(store: RuntimeStore, reloader: PolicyReloader) {
        self.store = store
        self.reloader = reloader
    }
}
