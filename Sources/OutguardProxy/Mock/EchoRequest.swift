/// What a request asks for, read from its JSON body for one provider: what the
/// `mock:echo` upstream needs to answer it in kind.
struct EchoRequest: Sendable, Equatable {
    /// The model named by the request (Gemini names it in the path).
    var model: String
    /// The last user message's text, which the mock echoes; "" when there is none.
    var text: String
    /// Whether the client asked for a streamed answer.
    var stream: Bool
    /// How many answers the client asked for (OpenAI `n`, Gemini `candidateCount`).
    var choices: Int
    /// OpenAI `stream_options.include_usage`: end the stream with a usage chunk.
    var includeUsage: Bool

    static let defaultModel = "mock-echo"
    /// The most answers the mock writes, whatever `n` says: enough for any test,
    /// small enough that a typo cannot make a huge response.
    static let maxChoices = 8

    init(
        model: String = defaultModel, text: String = "", stream: Bool = false, choices: Int = 1,
        includeUsage: Bool = false
    ) {
        self.model = model
        self.text = text
        self.stream = stream
        self.choices = choices
        self.includeUsage = includeUsage
    }

    /// Reads `body`, which must be a JSON object; fields that are missing or of
    /// another type than the API's take their defaults. `path` is the request path,
    /// with or without its query.
    static func read(provider: Provider, path: Substring, body: [UInt8]) throws(JSONSyntaxError) -> EchoRequest {
        let document = try JSONDocument(body)
        let root = document.root
        guard root.kind == .object else { throw JSONSyntaxError(offset: 0, reason: "expected a JSON object") }
        let path = path.prefix { $0 != "?" }

        var request = EchoRequest()
        if let model = root["model"]?.string { request.model = model }
        request.stream = root["stream"]?.bool ?? false

        switch provider {
        case .openAIChat:
            request.text = lastMessageText(root["messages"], role: "user")
            request.choices = clampedChoices(document.integer(root["n"]))
            request.includeUsage = root["stream_options"]?["include_usage"]?.bool ?? false
        case .openAICompletions:
            request.text = promptText(root["prompt"])
            request.choices = clampedChoices(document.integer(root["n"]))
            request.includeUsage = root["stream_options"]?["include_usage"]?.bool ?? false
        case .openAIResponses:
            request.text = root["input"]?.string ?? lastMessageText(root["input"], role: "user")
        case .anthropicMessages:
            request.text = lastMessageText(root["messages"], role: "user")
        case .gemini:
            request.model = geminiModel(path) ?? defaultModel
            request.stream = path.hasSuffix(":streamGenerateContent")
            request.text = geminiUserText(root["contents"])
            request.choices = clampedChoices(document.integer(root["generationConfig"]?["candidateCount"]))
        case .ollamaChat:
            request.text = lastMessageText(root["messages"], role: "user")
            // Ollama streams unless told not to.
            request.stream = root["stream"]?.bool ?? true
        case .ollamaGenerate:
            request.text = root["prompt"]?.string ?? ""
            request.stream = root["stream"]?.bool ?? true
        }
        return request
    }

    private static func clampedChoices(_ count: Int?) -> Int {
        min(max(count ?? 1, 1), maxChoices)
    }

    /// The text of the last item of `messages` with `role`: OpenAI, Anthropic,
    /// Ollama, and the Responses API's input items all keep it under `content`.
    private static func lastMessageText(_ messages: JSONNode?, role: String) -> String {
        guard let message = Array(messages?.items ?? .empty).last(where: { $0["role"]?.string == role }) else {
            return ""
        }
        return contentText(message["content"])
    }

    /// A message's `content`: a string, or an array of parts whose text parts
    /// (`text` in Chat and Anthropic, `input_text` in Responses) are joined with
    /// newlines, since each part reads as its own paragraph.
    private static func contentText(_ content: JSONNode?) -> String {
        guard let content else { return "" }
        if let text = content.string { return text }
        let texts = content.items.compactMap { part -> String? in
            let type = part["type"]?.string ?? "text"
            guard type == "text" || type == "input_text" else { return nil }
            return part["text"]?.string
        }
        return texts.joined(separator: "\n")
    }

    /// A completions `prompt`: a string, or the first of an array of strings (arrays
    /// of token numbers have no text to echo).
    private static func promptText(_ prompt: JSONNode?) -> String {
        prompt?.string ?? prompt?[0]?.string ?? ""
    }

    /// The last `contents` item from the user (a missing role means the user in
    /// Gemini), its parts' texts joined as Gemini joins them: with nothing between.
    private static func geminiUserText(_ contents: JSONNode?) -> String {
        let fromUser = Array(contents?.items ?? .empty).last { ($0["role"]?.string ?? "user") == "user" }
        return fromUser?["parts"]?.items.compactMap { $0["text"]?.string }.joined() ?? ""
    }

    /// The model in `/v1beta/models/{model}:generateContent`.
    private static func geminiModel(_ path: Substring) -> String? {
        guard let slash = path.lastIndex(of: "/"), let colon = path.lastIndex(of: ":"), slash < colon else {
            return nil
        }
        let model = path[path.index(after: slash)..<colon]
        return model.isEmpty ? nil : String(model)
    }
}

extension JSONDocument {
    /// The value of a number node when it is a whole number, such as `n: 2` or
    /// `n: 2.0`; nil for anything else.
    fileprivate func integer(_ node: JSONNode?) -> Int? {
        guard let node, node.kind == .number else { return nil }
        let text = String(decoding: bytes[node.range], as: UTF8.self)
        return Int(text) ?? Double(text).flatMap { Int(exactly: $0) }
    }
}
