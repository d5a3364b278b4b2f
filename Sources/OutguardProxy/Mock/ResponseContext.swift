/// What every response shape needs besides the answer texts.
struct ResponseContext: Sendable {
    /// The model name to echo back.
    var model: String
    /// The unique part of the response id; each shape adds its provider's prefix
    /// (`chatcmpl-`, `resp_`, `msg_` …).
    var id: String
    /// Seconds since 1970.
    var created: Int
    /// Tokens charged for the prompt in usage fields.
    var promptTokens: Int
}
