/// Where one policy and the names it lists were written in the config file.
struct PolicySource: Sendable {
    /// The policy's name, as a key under `policies:`.
    var name: SourceLocation
    /// One per item of `packs`, in order.
    var packs: [SourceLocation] = []
    /// One per item of `rules`, in order.
    var rules: [SourceLocation] = []
}
