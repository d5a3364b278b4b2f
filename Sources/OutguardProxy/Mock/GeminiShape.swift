/// Gemini's `models/{model}:generateContent` and `:streamGenerateContent?alt=sse`: a
/// `GenerateContentResponse`, or a series of them as `data:` events with no end
/// marker, each carrying the next piece of text of every candidate still going.
enum GeminiShape {
    static func body(_ context: ResponseContext, texts: [String]) -> JSONValue {
        let candidates: [JSONValue] = texts.enumerated().map { index, text in
            candidate(index, text: text, finished: true)
        }
        return response(context, candidates: candidates, outputTokens: TokenEstimate.count(texts))
    }

    /// One event per round of pieces. A candidate's last piece carries its
    /// `finishReason`; every event carries `usageMetadata` with the tokens so far, as
    /// the API does, so the last one has the totals.
    static func frames(_ context: ResponseContext, pieces: [[String]]) -> [[UInt8]] {
        // A candidate with no text still needs an event that finishes it.
        let pieces = pieces.map { $0.isEmpty ? [""] : $0 }
        let rounds = pieces.map(\.count).max() ?? 0
        var frames: [[UInt8]] = []
        // Counted as the pieces go out, not recounted from the text sent so far, so a
        // long answer costs linear time.
        var sentScalars = Array(repeating: 0, count: pieces.count)
        for round in 0..<rounds {
            var candidates: [JSONValue] = []
            for (index, list) in pieces.enumerated() where round < list.count {
                sentScalars[index] += list[round].unicodeScalars.count
                candidates.append(candidate(index, text: list[round], finished: round == list.count - 1))
            }
            let outputTokens = sentScalars.reduce(0) { $0 + TokenEstimate.count(scalars: $1) }
            frames.append(ShapeFraming.sse(response(context, candidates: candidates, outputTokens: outputTokens)))
        }
        return frames
    }

    private static func candidate(_ index: Int, text: String, finished: Bool) -> JSONValue {
        let content: JSONValue = ["content": ["parts": [["text": .string(text)]], "role": "model"]]
        let end: JSONValue = finished ? ["finishReason": "STOP", "index": .int(index)] : ["index": .int(index)]
        return content.appending(end)
    }

    private static func response(_ context: ResponseContext, candidates: [JSONValue], outputTokens: Int) -> JSONValue {
        [
            "candidates": .array(candidates),
            "usageMetadata": [
                "promptTokenCount": .int(context.promptTokens),
                "candidatesTokenCount": .int(outputTokens),
                "totalTokenCount": .int(context.promptTokens + outputTokens),
                "promptTokensDetails": [["modality": "TEXT", "tokenCount": .int(context.promptTokens)]],
            ],
            "modelVersion": .string(context.model),
            "responseId": .string(context.id),
        ]
    }
}
