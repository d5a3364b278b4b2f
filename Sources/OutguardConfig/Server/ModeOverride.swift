/// A policy's `mode:`, which replaces the `mode` of each of its rules.
public enum ModeOverride: String, Sendable, CaseIterable {
    /// Record what the rules would do, change nothing.
    case shadow
    /// Apply every rule's action, including rules their file marks as shadow.
    case enforce
}
