/// A setting that the environment (`OUTGUARD_LISTEN`) and command-line flags (`--listen`)
/// can override, and how text sets it. Values from either place are taken as written:
/// relative paths start from the current folder, not the config file's.
struct OverridableSetting: Sendable {
    /// The name `overrides` uses: the environment name without its prefix, lowercased.
    let key: String
    /// Sets the value, or says why the text is not one; `name` is how the user wrote the
    /// setting's name, for messages.
    let apply: @Sendable (_ text: String, _ name: String, _ config: inout ServerConfig) -> ValueProblem?

    static let environmentPrefix = "OUTGUARD_"

    var environmentName: String { Self.environmentPrefix + key.uppercased() }
    var flagName: String { "--" + String(key.map { $0 == "_" ? "-" : $0 }) }

    /// In the order they are applied.
    static let all: [OverridableSetting] = [
        OverridableSetting(key: "listen") { text, _, config in
            set(ListenAddress.parse(text), into: &config.listen)
        },
        OverridableSetting(key: "upstream") { text, _, config in
            set(Upstream.parse(text), into: &config.upstream)
        },
        OverridableSetting(key: "rules") { text, _, config in
            // One string holds the whole list, as `PATH` does.
            let paths = text.split(separator: ",").map { $0.trimmingSpaces }.filter { !$0.isEmpty }
            guard !paths.isEmpty else {
                return ValueProblem("no rule paths given", examples: ["rules/", "rules/,extra/brand.yaml"])
            }
            config.rules = paths
            return nil
        },
        OverridableSetting(key: "fail_mode") { text, name, config in
            set(choice(text, name: name, as: FailMode.self), into: &config.failMode)
        },
        OverridableSetting(key: "blocked_response") { text, name, config in
            set(choice(text, name: name, as: BlockedResponse.self), into: &config.blocked)
        },
        OverridableSetting(key: "log_path") { text, _, config in
            config.log.path = text
            return nil
        },
        OverridableSetting(key: "unknown_routes") { text, name, config in
            set(choice(text, name: name, as: UnknownRoutes.self), into: &config.unknownRoutes)
        },
        OverridableSetting(key: "workers") { text, name, config in
            set(Quantity.count(text, name: name, range: Quantity.workers, example: 2), into: &config.workers)
        },
    ]

    static var keys: [String] { all.map(\.key) }

    private static func set<Value>(_ result: Result<Value, ValueProblem>, into value: inout Value) -> ValueProblem? {
        switch result {
        case .success(let read):
            value = read
            return nil
        case .failure(let problem):
            return problem
        }
    }

    /// One of the cases of `Choice`; the fix shows the likeliest meant.
    private static func choice<Choice: CaseIterable & RawRepresentable>(
        _ text: String, name: String, as _: Choice.Type
    ) -> Result<Choice, ValueProblem> where Choice.RawValue == String {
        if let value = Choice(rawValue: text) { return .success(value) }
        let names = Choice.allCases.map(\.rawValue)
        let examples = Suggestion.closest(to: text, among: names).map { [$0] } ?? names
        return .failure(ValueProblem("unknown `\(name)` value `\(text)`", examples: examples))
    }
}

extension StringProtocol {
    /// Without the spaces around it, as a list in one environment variable is often written.
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
