/// The admin listener (`admin: {listen, token_env}`): reload, review and metrics, on an
/// address apart from the data path.
public struct AdminConfig: Sendable, Equatable {
    public var listen: ListenAddress
    /// The environment variable holding the token admin requests must present; the token
    /// itself never goes in the config file.
    public var tokenEnv: String?

    public init(listen: ListenAddress, tokenEnv: String? = nil) {
        self.listen = listen
        self.tokenEnv = tokenEnv
    }
}
