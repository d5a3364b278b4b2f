/// What the client gets when a rule blocks an answer (`blocked: {response: …}`).
public enum BlockedResponse: String, Sendable, CaseIterable {
    /// A normal 200 answer whose text is the rule's message, ended the way the provider
    /// ends filtered content (OpenAI: `finish_reason: "content_filter"`): SDKs see a refusal.
    case refusal
    /// The provider's HTTP error JSON, for apps that want to handle blocks as errors.
    case error
}
