import Foundation
import OutguardConfig

/// A temporary folder of rule files written by a test, removed when the test is done.
///
/// Tests write their YAML inline, so the line and column a diagnostic names can be read
/// off the test source.
final class RuleFolder {
    let path: String

    init(_ files: [String: String]) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("outguard-\(UUID().uuidString)").path
        for (name, text) in files { try write(name, text) }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func write(_ name: String, _ text: String) throws {
        try write(name, Data(text.utf8))
    }

    func write(_ name: String, _ data: Data) throws {
        let file = URL(fileURLWithPath: path).appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
    }

    /// Loads the whole folder, or the given files of it.
    func load(_ names: [String] = []) -> RuleSet {
        RuleSetLoader.load(paths: names.isEmpty ? [path] : names.map { "\(path)/\($0)" })
    }

    /// The diagnostics as a compiler prints them, with paths relative to the folder.
    func render(_ diagnostics: [Diagnostic]) -> [String] {
        diagnostics.map { $0.description.replacingOccurrences(of: path + "/", with: "") }
    }

    /// Loads one file and renders its diagnostics.
    func diagnostics(of name: String) -> [String] {
        render(load([name]).diagnostics)
    }
}
