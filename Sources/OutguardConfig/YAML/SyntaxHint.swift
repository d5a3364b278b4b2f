/// What to write instead, for the YAML syntax errors people make most.
enum SyntaxHint {
    static func fix(for problem: String) -> String {
        if problem.contains("tab") {
            return "indent with spaces; YAML does not allow tabs for indentation"
        }
        if problem.contains("cannot start any token") {
            return "put the value in quotes: a plain value cannot start with `@`, `` ` `` or `%`"
        }
        if problem.contains("mapping values are not allowed") {
            return "put the value in quotes if it contains `: `, or fix the indentation of this line"
        }
        if problem.contains("could not find expected ':'") {
            return "each line of a mapping needs `key: value`; check the indentation, or quote a value that spans lines"
        }
        if problem.contains("did not find expected key") || problem.contains("did not find expected '-'") {
            return "check the indentation: this line does not line up with the keys or items above it"
        }
        if problem.contains("found unexpected end of stream") || problem.contains("found unknown escape") {
            return "close the quoted value; inside double quotes write a backslash as `\\\\`, or use single quotes"
        }
        if problem.contains("UTF-8") || problem.contains("control characters") {
            return "save the file as UTF-8 text"
        }
        return "fix the YAML syntax here; quote values that contain `: `, ` #` or start with a special character"
    }
}
