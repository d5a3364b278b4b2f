public import OutguardConfig

extension HookDefinition {
    /// The warning `lint` prints and `serve` logs when a probe of this hook fails, at the
    /// hook's declaration; nil when the hook answered. A warning, not an error: the hook's
    /// `on_error` already says what its rules do meanwhile, and the service may come up
    /// after Outguard.
    public func probeWarning(_ result: HookResult) -> Diagnostic? {
        guard case .failure(let failure) = result else { return nil }
        return Diagnostic(
            .warning, at: location,
            "hook `\(name)` does not answer at \(url) (\(failure)); "
                + "classifier rules that use it will follow its on_error (\(onError.rawValue)) until it does",
            fix: fix(for: failure))
    }

    private func fix(for failure: HookFailure) -> String {
        switch failure {
        case .httpStatus:
            "check the hook's `url` and its `headers`: the service refused the call"
        case .badBody:
            "check that the service at `url` speaks `protocol: \(`protocol`.rawValue)`"
        case .timeout:
            "start the classifier service or correct the hook's `url`; if the service is only slow, raise `timeout_ms`"
        case .unreachable, .breakerOpen, .overloaded:
            "start the classifier service or correct the hook's `url`"
        }
    }
}
