public import OutguardEngine

/// A named policy compiled from the loaded rules, ready for requests that ask for it.
public struct PolicyEntry: Sendable {
    public var name: String
    public var policy: Policy
    public var scanToolArguments: Bool

    public init(name: String, policy: Policy, scanToolArguments: Bool) {
        self.name = name
        self.policy = policy
        self.scanToolArguments = scanToolArguments
    }
}
