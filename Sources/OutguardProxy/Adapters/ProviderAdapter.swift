/// Knows where one API puts the assistant's text and how it ends an answer: the only
/// provider-specific code on the data path.
protocol ProviderAdapter: Sendable {
    var provider: Provider { get }

    /// Every text a non-streamed response carries, in order.
    func texts(in body: JSONNode, options: FilterOptions) -> [(segment: SegmentKey, node: JSONNode)]

    /// Ends a non-streamed answer whose `segment` is blocked the API's way: its text
    /// becomes `message` and the finish reason says why.
    func blockAnswer(in body: JSONNode, segment: SegmentKey, message: String, edits: inout JSONEdits)

    /// Reads the frames of one streamed response.
    func makeStreamReader(options: FilterOptions) -> any StreamReader

    /// An error body in the API's own shape (what its SDK turns into an exception).
    func errorBody(status: Int, message: String, code: String) -> [UInt8]
}

/// Reads one streamed response frame by frame; keeps what a closing frame needs (ids,
/// model, open choices).
protocol StreamReader: Sendable {
    /// Feeds the text `payload` (a frame's JSON) carries to `relay`, which queues the
    /// frame next.
    mutating func read(_ payload: JSONNode, relay: inout StreamRelay)

    /// The frames that end the stream after `block`, in the API's own way.
    func blockFrames(_ block: StreamRelay.Block, codec: any FrameCodec) -> [[UInt8]]
}

/// Per-request choices that change what is filtered.
struct FilterOptions: Sendable {
    /// Whether tool-call arguments are text to filter (`scan_tool_arguments`).
    var scanToolArguments = false
}

extension Provider {
    var adapter: any ProviderAdapter {
        switch self {
        case .openAIChat: OpenAIChatAdapter()
        case .openAICompletions: OpenAICompletionsAdapter()
        case .openAIResponses: OpenAIResponsesAdapter()
        case .anthropicMessages: AnthropicAdapter()
        case .gemini: GeminiAdapter()
        case .ollamaChat, .ollamaGenerate: OllamaAdapter(provider: self)
        }
    }
}
