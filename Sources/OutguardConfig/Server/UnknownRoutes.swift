/// What the proxy does with a request to a path no provider adapter knows (`unknown_routes`).
public enum UnknownRoutes: String, Sendable, CaseIterable {
    /// Forward it unchanged and unfiltered (model lists, embeddings, files).
    case pass
    /// Answer it with an error: only routes whose output is filtered reach the upstream.
    case block
}
