import Mustache

/// The compiled templates. Built once at start, where a template that does not parse
/// fails; rendering afterwards cannot fail.
struct PageRenderer: Sendable {
    private let library: MustacheLibrary

    init() throws {
        var library = MustacheLibrary()
        try library.register(PageTemplates.top, named: "top")
        try library.register(PageTemplates.review, named: "review")
        try library.register(PageTemplates.problem, named: "problem")
        self.library = library
    }

    func render(_ page: ReviewPage) -> String {
        render(page, template: "review")
    }

    func render(_ page: ProblemPage) -> String {
        render(page, template: "problem")
    }

    private func render(_ page: Any, template: String) -> String {
        // Registered in `init`, so the template is there.
        library.render(page, withTemplate: template) ?? ""
    }
}
