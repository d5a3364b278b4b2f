/// OpenAI's error body: `{"error": {"message", "type", "param", "code"}}`, which the
/// OpenAI SDKs raise as `APIStatusError` subclasses.
enum OpenAIError {
    static func body(message: String, type: String, code: String) -> [UInt8] {
        let body: JSONValue = [
            "error": ["message": .string(message), "type": .string(type), "param": nil, "code": .string(code)]
        ]
        return body.bytes
    }

    static func type(for status: Int) -> String {
        switch status {
        case 400, 404, 413, 422, 431: "invalid_request_error"
        case 401, 403: "authentication_error"
        default: "server_error"
        }
    }
}
