/// One named policy of the daemon config (`policies: {name: {packs, rules, mode,
/// scan_tool_arguments}}`): which loaded rules apply to a request that asks for it with the
/// `Outguard-Policy` header.
public struct PolicyConfig: Sendable, Equatable {
    /// The packs whose rules apply; `nil` means every loaded pack.
    public var packs: [String]?
    /// Narrows the packs' rules to these ids; `nil` keeps them all.
    public var rules: [String]?
    /// Overrides every rule's own `mode`: try a whole policy in shadow first.
    public var mode: ModeOverride?
    /// Also filter the arguments of tool calls the model makes (`scan_tool_arguments`).
    public var scanToolArguments: Bool

    public init(
        packs: [String]? = nil, rules: [String]? = nil, mode: ModeOverride? = nil, scanToolArguments: Bool = false
    ) {
        self.packs = packs
        self.rules = rules
        self.mode = mode
        self.scanToolArguments = scanToolArguments
    }
}
