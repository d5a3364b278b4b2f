/// One rule file as loaded: its pack, its rules and the hooks it declares.
public struct RuleFile: Sendable {
    public var path: String
    /// The pack every rule of the file belongs to; the file name without extension unless
    /// the file says `pack:`.
    public var pack: String
    public var description: String?
    /// The rules that loaded without errors, in file order.
    public var rules: [LoadedRule]
    /// Rules with errors of their own: never part of a policy, but their patterns and
    /// terms are still compiled so that every problem shows up in one run.
    public var rejectedRules: [LoadedRule] = []
    public var hooks: [HookDefinition]

    public init(path: String, pack: String, description: String?, rules: [LoadedRule], hooks: [HookDefinition]) {
        self.path = path
        self.pack = pack
        self.description = description
        self.rules = rules
        self.hooks = hooks
    }
}
