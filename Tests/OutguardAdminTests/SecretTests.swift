import Testing

@testable import OutguardAdmin

@Suite struct SecretTests {
    @Test func matchesOnlyTheSameText() {
        let secret = Secret("s3cret-token")
        #expect(secret.matches("s3cret-token"))
        #expect(!secret.matches("s3cret-tokeN"))
        #expect(!secret.matches("s3cret-token2"))
        #expect(!secret.matches("s3cret"))
        #expect(!secret.matches(""))
    }

    @Test func randomSecretsAreLongAndDifferent() {
        let first = Secret.random()
        let second = Secret.random()
        let isHex = first.text.allSatisfy(\.isHexDigit)
        #expect(first.text.count == 64)
        #expect(isHex)
        #expect(!first.matches(second.text))
        #expect(first.matches(first.text))
    }
}
