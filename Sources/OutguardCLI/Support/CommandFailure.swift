/// A command's failure that is not a mistake in its arguments: printed as
/// `Error: <description>` without the usage text that a `ValidationError` brings.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
