/// What the problem template shows: why a request was refused and the way back.
struct ProblemPage: Sendable {
    let title: String
    let subtitle = "The request could not be done."
    let heading: String
    let message: String
    /// The review page with the filters the reviewer had, so nothing is lost.
    let backPath: String
}
