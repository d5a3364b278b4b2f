import Foundation
public import OutguardConfig

/// The request and response bodies of a hook's protocol.
///
/// - `openai-moderation`: `{"input": text}` → `results[0].category_scores`.
/// - `outguard`: `{"text", "rule", "categories"}` → `{"scores": {category: score}}`.
///
/// The parser is strict: an answer that is not the protocol's JSON, lacks a score the
/// rule asked for, or holds a score that is not a number in 0...1 is a `badBody`
/// failure, never a crash and never a silent "clean".
public struct HookCodec: Sendable {
    public let `protocol`: HookProtocol

    public init(protocol: HookProtocol) {
        self.protocol = `protocol`
    }

    private struct OutguardRequest: Encodable {
        var text: String
        var rule: String?
        var categories: [String]
    }

    private struct ModerationRequest: Encodable {
        var input: String
    }

    private struct OutguardResponse: Decodable {
        var scores: [String: Double]
    }

    private struct ModerationResponse: Decodable {
        struct Result: Decodable {
            var categoryScores: [String: Double]

            enum CodingKeys: String, CodingKey {
                case categoryScores = "category_scores"
            }
        }
        var results: [Result]
    }

    /// The JSON body that asks for `text`'s scores.
    public func requestBody(text: String, rule: String?, categories: [String]) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        // Encoding strings and string lists cannot fail.
        let data: Data =
            switch self.protocol {
            case .outguard:
                (try? encoder.encode(OutguardRequest(text: text, rule: rule, categories: categories))) ?? Data()
            case .openaiModeration: (try? encoder.encode(ModerationRequest(input: text))) ?? Data()
            }
        return Array(data)
    }

    /// The scores in an answer's body; every category of `categories` must have one.
    public func scores(from body: [UInt8], categories: [String]) -> Result<[String: Double], HookFailure> {
        let data = Data(body)
        let scores: [String: Double]
        do {
            switch self.protocol {
            case .outguard:
                scores = try JSONDecoder().decode(OutguardResponse.self, from: data).scores
            case .openaiModeration:
                let response = try JSONDecoder().decode(ModerationResponse.self, from: data)
                guard let first = response.results.first else { return .failure(.badBody("`results` is empty")) }
                scores = first.categoryScores
            }
        } catch let error as DecodingError {
            return .failure(.badBody(Self.describe(error)))
        } catch {
            return .failure(.badBody("not JSON"))
        }
        if let bad = scores.first(where: { !(0...1).contains($0.value) }) {
            return .failure(.badBody("the score of `\(bad.key)` is \(bad.value), not in 0...1"))
        }
        return Self.check(scores, has: categories)
    }

    /// Scores lacking a category the rule asked for cannot decide it.
    static func check(_ scores: [String: Double], has categories: [String]) -> Result<[String: Double], HookFailure> {
        if let missing = categories.first(where: { scores[$0] == nil }) {
            return .failure(.badBody("no score for `\(missing)`"))
        }
        return .success(scores)
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return path.isEmpty ? "the body" : "`\(path.dropFirst(path.hasPrefix(".") ? 1 : 0))`"
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty: return "not JSON"
        case .dataCorrupted(let context): return "\(path(context)) is not valid"
        case .keyNotFound(let key, let context):
            return context.codingPath.isEmpty
                ? "no `\(key.stringValue)`" : "\(path(context)) has no `\(key.stringValue)`"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context)) has the wrong type"
        @unknown default: return "wrong shape"
        }
    }
}
