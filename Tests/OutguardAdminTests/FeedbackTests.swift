import Hummingbird
import HummingbirdTesting
import Testing

@testable import OutguardAdmin

/// `POST /review/feedback`: a label button writes one feedback record through the shared
/// writer and goes back to the same view; bad posts and posts from elsewhere write nothing.
@Suite struct FeedbackTests {
    static let records = [violation("og-1", rule: "pii.email", pack: "pii")]
    static let formHeaders: HTTPFields = [
        .authorization: "Bearer \(AdminFixture.token)", .contentType: "application/x-www-form-urlencoded",
    ]

    /// Opens the page for its form token, then posts `fields` (already encoded) with it.
    static func post(_ fields: String, token: String? = nil, client: any TestClientProtocol) async throws
        -> TestResponse
    {
        let page = try await client.execute(uri: "/review", method: .get, headers: bearer) { $0.text }
        let token = try token ?? #require(formToken(in: page))
        return try await client.execute(
            uri: "/review/feedback", method: .post, headers: formHeaders,
            body: ByteBuffer(string: "form_token=\(token)&\(fields)"))
    }

    @Test func aLabelBecomesAFeedbackRecordAndTheViewComesBack() async throws {
        let admin = try AdminFixture(records: Self.records)
        try await admin.test { client in
            let response = try await Self.post(
                "view=rule%3Dpii.email%26mode%3Denforce&request_id=og-1&rule=pii.email&label=false_positive"
                    + "&note=a+test+address%2C+not+a+person",
                client: client)
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/review?rule=pii.email&mode=enforce&saved=1")
        }
        let records = try await admin.writtenRecords()
        #expect(records.count == 2)
        let written = try #require(records.last)
        #expect(written["event"] as? String == "feedback")
        #expect(written["request_id"] as? String == "og-1")
        #expect(written["rule"] as? String == "pii.email")
        #expect(written["label"] as? String == "false_positive")
        #expect(written["note"] as? String == "a test address, not a person")
        #expect(written["source"] as? String == "review")
    }

    @Test func theSavedViewSaysTheLabelWasSaved() async throws {
        let admin = try AdminFixture(records: Self.records)
        try await admin.test { client in
            try await client.execute(uri: "/review?saved=1", method: .get, headers: bearer) { response in
                #expect(response.text.contains("Label saved."))
            }
            try await client.execute(uri: "/review", method: .get, headers: bearer) { response in
                #expect(!response.text.contains("Label saved."))
            }
        }
    }

    @Test(arguments: [
        ("rule=pii.email&label=correct", "The label needs a request id"),
        ("request_id=og-1&label=correct", "The label needs a rule"),
        ("request_id=og-1&rule=pii.email", "The label is missing"),
        (
            "request_id=og-1&rule=pii.email&label=wrong",
            "“wrong” is not a label; labels are false_positive, false_negative, correct."
        ),
        ("request_id=og-1%0A%7B%7D&rule=pii.email&label=correct", "That is not a request id from the log"),
        (
            "request_id=og-1&rule=pii.email&label=correct&note=" + String(repeating: "x", count: 2001),
            "The note has 2001 characters"
        ),
    ])
    func anInvalidLabelIsA400WithTheReason(fields: String, message: String) async throws {
        let admin = try AdminFixture(records: Self.records)
        try await admin.test { client in
            let response = try await Self.post("view=mode%3Dshadow&" + fields, client: client)
            #expect(response.status == .badRequest)
            #expect(response.text.contains(message))
            #expect(response.text.contains(#"<a href="/review?mode=shadow">"#))
        }
        #expect(try await admin.writtenRecords().count == 1)
    }

    @Test(arguments: [nil, "0123456789abcdef"])
    func aPostWithoutThePagesFormTokenIsRefused(token: String?) async throws {
        let admin = try AdminFixture(records: Self.records)
        try await admin.test { client in
            // What another site's page could make a signed-in browser send.
            let fields = "request_id=og-1&rule=pii.email&label=correct"
            let body = token.map { "form_token=\($0)&\(fields)" } ?? fields
            try await client.execute(
                uri: "/review/feedback", method: .post, headers: Self.formHeaders, body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .forbidden)
                #expect(response.text.contains("did not come from this review page"))
            }
        }
        #expect(try await admin.writtenRecords().count == 1)
    }

    @Test func aLabelTheWriterRefusesIsA503() async throws {
        let admin = try AdminFixture(records: Self.records)
        // What a post sees while the daemon shuts down.
        await admin.writer.close()
        try await admin.test { client in
            let response = try await Self.post("request_id=og-1&rule=pii.email&label=correct", client: client)
            #expect(response.status == .serviceUnavailable)
            #expect(response.text.contains("The log is not taking records right now"))
        }
        #expect(try await admin.writtenRecords().count == 1)
    }

    @Test func withoutALogALabelCannotBeSaved() async throws {
        let admin = try AdminFixture(records: [], logConfigured: false)
        try await admin.test { client in
            // A page from before the log was turned off.
            try await client.execute(
                uri: "/review/feedback", method: .post, headers: Self.formHeaders,
                body: ByteBuffer(string: "request_id=og-1&rule=pii.email&label=correct")
            ) { response in
                #expect(response.status == .conflict)
                #expect(response.text.contains("No violation log is configured"))
            }
        }
    }
}
