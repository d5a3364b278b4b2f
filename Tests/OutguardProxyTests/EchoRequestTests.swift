import Testing

@testable import OutguardProxy

/// `EchoRequest.read` finds the model, the last user text and the stream options in
/// every provider's request body.
@Suite struct EchoRequestTests {
    func read(_ provider: Provider, _ body: String, path: Substring = "/") throws -> EchoRequest {
        try EchoRequest.read(provider: provider, path: path, body: Array(body.utf8))
    }

    @Test func openAIChatTakesTheLastUserMessageAndOptions() throws {
        let request = try read(
            .openAIChat,
            """
            {"model":"gpt-4o-mini","stream":true,"n":3,"stream_options":{"include_usage":true},
             "messages":[{"role":"system","content":"be brief"},{"role":"user","content":"first"},
                         {"role":"assistant","content":"ok"},{"role":"user","content":"second \\"q\\""},
                         {"role":"assistant","content":"not this"}]}
            """)
        #expect(
            request
                == EchoRequest(model: "gpt-4o-mini", text: "second \"q\"", stream: true, choices: 3, includeUsage: true)
        )
    }

    @Test func openAIChatReadsContentArrays() throws {
        let request = try read(
            .openAIChat,
            """
            {"messages":[{"role":"user","content":[{"type":"text","text":"look at"},
              {"type":"image_url","image_url":{"url":"data:,"}},{"type":"text","text":"this 画像"}]}]}
            """)
        #expect(request == EchoRequest(text: "look at\nthis 画像"))
    }

    @Test func choicesAreClamped() throws {
        #expect(try read(.openAIChat, #"{"n":100}"#).choices == EchoRequest.maxChoices)
        #expect(try read(.openAIChat, #"{"n":0}"#).choices == 1)
        #expect(try read(.openAIChat, #"{"n":2.0}"#).choices == 2)
        #expect(try read(.openAIChat, #"{"n":"2"}"#).choices == 1)
        #expect(try read(.openAICompletions, #"{"n":4}"#).choices == 4)
        #expect(try read(.anthropicMessages, #"{"n":4}"#).choices == 1)
    }

    @Test func openAICompletionsTakesThePrompt() throws {
        #expect(
            try read(.openAICompletions, #"{"model":"gpt-3.5-turbo-instruct","prompt":"Say hi"}"#)
                == EchoRequest(model: "gpt-3.5-turbo-instruct", text: "Say hi"))
        #expect(
            try read(.openAICompletions, #"{"prompt":["one","two"],"stream":true}"#)
                == EchoRequest(text: "one", stream: true))
        #expect(try read(.openAICompletions, #"{"prompt":[1,2,3]}"#).text == "")
    }

    @Test func openAIResponsesTakesInputStringOrLastUserItem() throws {
        #expect(
            try read(.openAIResponses, #"{"model":"gpt-4.1","input":"Tell me"}"#)
                == EchoRequest(model: "gpt-4.1", text: "Tell me"))
        let request = try read(
            .openAIResponses,
            """
            {"stream":true,"instructions":"x","input":[
              {"role":"user","content":"old"},
              {"type":"message","role":"assistant","content":[{"type":"output_text","text":"no"}]},
              {"type":"message","role":"user","content":[{"type":"input_text","text":"new one"}]},
              {"type":"function_call_output","call_id":"c","output":"{}"}]}
            """)
        #expect(request == EchoRequest(text: "new one", stream: true))
    }

    @Test func anthropicTakesTheLastUserMessage() throws {
        let request = try read(
            .anthropicMessages,
            """
            {"model":"claude-sonnet-4-5","max_tokens":100,"system":"s","stream":true,
             "messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"},
                         {"role":"user","content":[{"type":"text","text":"c1"},{"type":"text","text":"c2"}]}]}
            """)
        #expect(request == EchoRequest(model: "claude-sonnet-4-5", text: "c1\nc2", stream: true))
    }

    @Test func geminiTakesModelAndStreamFromThePath() throws {
        let body = """
            {"contents":[{"role":"user","parts":[{"text":"Hello "},{"text":"world"}]},
                         {"role":"model","parts":[{"text":"no"}]},{"parts":[{"text":"最後"}]}],
             "generationConfig":{"candidateCount":2},"stream":false,"model":"ignored"}
            """
        let streamed = try read(.gemini, body, path: "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse")
        #expect(streamed == EchoRequest(model: "gemini-2.5-flash", text: "最後", stream: true, choices: 2))
        let whole = try read(
            .gemini, #"{"contents":[{"role":"user","parts":[{"text":"a"},{"text":"b"}]}]}"#,
            path: "/v1beta/models/gemini-2.0-flash:generateContent")
        #expect(whole == EchoRequest(model: "gemini-2.0-flash", text: "ab"))
    }

    @Test func ollamaStreamsUnlessToldNot() throws {
        #expect(
            try read(.ollamaChat, #"{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}"#)
                == EchoRequest(model: "llama3.2", text: "hi", stream: true))
        #expect(try read(.ollamaChat, #"{"messages":[{"role":"user","content":"hi"}],"stream":false}"#).stream == false)
        #expect(
            try read(.ollamaGenerate, #"{"model":"qwen3","prompt":"why?"}"#)
                == EchoRequest(model: "qwen3", text: "why?", stream: true))
        #expect(try read(.ollamaGenerate, #"{"prompt":"why?","stream":false}"#).stream == false)
    }

    @Test func missingFieldsTakeDefaults() throws {
        for provider in Provider.allCases {
            let request = try read(provider, "{}", path: "/v1beta/models/:generateContent")
            #expect(request.model == "mock-echo")
            #expect(request.text == "")
            #expect(request.choices == 1)
            #expect(request.includeUsage == false)
            #expect(request.stream == (provider == .ollamaChat || provider == .ollamaGenerate))
        }
    }

    @Test func bodiesThatAreNotJSONObjectsAreRejected() {
        #expect(throws: JSONSyntaxError.self) { try read(.openAIChat, "") }
        #expect(throws: JSONSyntaxError.self) { try read(.openAIChat, "[1]") }
        #expect(throws: JSONSyntaxError.self) { try read(.anthropicMessages, #"{"messages":"#) }
    }
}
