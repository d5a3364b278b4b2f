import Hummingbird
import HummingbirdTesting
import OutguardConfig
import Testing

@testable import OutguardAdmin

/// The admin token: required everywhere but `/healthz`, accepted as a bearer header, and
/// traded once for a review-page cookie.
@Suite struct AccessTests {
    @Test func healthIsOpenWithoutTheToken() async throws {
        let admin = try AdminFixture(records: [])
        try await admin.test { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text == "ok\n")
            }
        }
    }

    @Test func everyOtherRouteNeedsTheToken() async throws {
        let admin = try AdminFixture(records: [])
        try await admin.test { client in
            for uri in ["/review", "/review?rule=pii.email", "/admin/policy"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.text.contains("OUTGUARD_ADMIN_TOKEN"))
                    #expect(response.text.contains("Authorization: Bearer <token>"))
                    #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                }
            }
            try await client.execute(uri: "/review/feedback", method: .post) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test func theBearerTokenIsAccepted() async throws {
        let admin = try AdminFixture(records: [])
        try await admin.test { client in
            try await client.execute(uri: "/review", method: .get, headers: bearer) { response in
                #expect(response.status == .ok)
            }
            // Past the check, an unknown route is simply not found.
            try await client.execute(uri: "/admin/policy", method: .get, headers: bearer) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(
                uri: "/review", method: .get, headers: [.authorization: "Bearer test-token-7f3b"]
            ) { response in
                #expect(response.status == .unauthorized)
                #expect(response.text.contains("not the admin token"))
            }
        }
    }

    @Test func theTokenInTheAddressBecomesACookieAndLeavesTheAddress() async throws {
        let admin = try AdminFixture(records: [])
        try await admin.test { client in
            let cookie = try await client.execute(uri: "/review?token=\(AdminFixture.token)", method: .get) {
                response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/review")
                let setCookie = response.headers[.setCookie] ?? ""
                #expect(setCookie.contains("HttpOnly"))
                #expect(setCookie.contains("SameSite=Strict"))
                #expect(setCookie.contains("Path=/review"))
                #expect(!setCookie.contains(AdminFixture.token))
                return String(setCookie.prefix { $0 != ";" })
            }
            try await client.execute(uri: "/review", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .ok)
            }
            // The cookie is for the review pages only.
            try await client.execute(uri: "/admin/policy", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(
                uri: "/review", method: .get,
                headers: [.cookie: "\(AccessMiddleware<BasicRequestContext>.cookieName)=guess"]
            ) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test func aWrongTokenInTheAddressIsRefused() async throws {
        let admin = try AdminFixture(records: [])
        try await admin.test { client in
            try await client.execute(uri: "/review?token=wrong", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.setCookie] == nil)
                #expect(response.text.contains("not the admin token"))
            }
        }
    }

    @Test func withoutATokenEverythingIsOpen() async throws {
        let admin = try AdminFixture(records: [], token: nil)
        try await admin.test { client in
            try await client.execute(uri: "/review", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func theTokenComesFromTheNamedVariableWhenItIsSet() {
        let config = AdminConfig(listen: ListenAddress(host: "127.0.0.1", port: 9901), tokenEnv: "ADMIN_TOKEN")
        #expect(AdminServer.token(for: config, in: ["ADMIN_TOKEN": "abc"]) == "abc")
        #expect(AdminServer.token(for: config, in: ["ADMIN_TOKEN": ""]) == nil)
        #expect(AdminServer.token(for: config, in: [:]) == nil)
        #expect(AdminServer.token(for: AdminConfig(listen: config.listen), in: ["ADMIN_TOKEN": "abc"]) == nil)
    }
}
