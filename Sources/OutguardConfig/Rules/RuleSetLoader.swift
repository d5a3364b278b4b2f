import Foundation

/// Loads rule files and folders into a `RuleSet`, finding every mistake in all of them in
/// one run. It never throws and never stops early: what is wrong is in `diagnostics`.
public enum RuleSetLoader {
    public static func load(paths: [String]) -> RuleSet {
        let finder = RuleFileFinder(paths: paths)
        var diagnostics = finder.diagnostics
        var termsFiles = TermsFileReader()
        var contents: [String: [UInt8]] = [:]
        var files: [RuleFileParser.Output] = []
        for path in finder.files {
            guard let data = FileManager.default.contents(atPath: path) else {
                diagnostics.append(Diagnostic(
                    .error, at: RuleFileFinder.start(of: path), "cannot read the file",
                    fix: "check that outguard may read it"))
                continue
            }
            let bytes = [UInt8](data)
            contents[path] = bytes
            let file = RuleFileParser.parse(bytes, path: path, termsFiles: &termsFiles)
            diagnostics += file.diagnostics
            files.append(file)
        }
        diagnostics += RuleSetChecks.check(files)
        contents.merge(termsFiles.contents) { ruleFile, _ in ruleFile }
        return RuleSet(
            files: files.map(\.file), diagnostics: diagnostics, ruleset: RulesetDigest.digest(of: contents),
            sources: contents.keys.sorted())
    }
}
