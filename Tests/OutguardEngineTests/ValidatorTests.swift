import Testing

@testable import OutguardEngine

@Suite struct ValidatorTests {
    @Test(arguments: ["4111111111111111", "5500000000000004", "340000000000009", "4012888888881881"])
    func luhnAcceptsValidCardNumbers(_ number: String) {
        #expect(Checksums.luhn(Checksums.digits(of: number)))
    }

    @Test(arguments: ["4111111111111112", "1234567812345678", "0000"])
    func luhnRejectsOthers(_ number: String) {
        #expect(!Checksums.luhn(Checksums.digits(of: number)))
    }

    @Test func luhnReadsFullWidthDigits() {
        #expect(Checksums.luhn(Checksums.digits(of: "４１１１ １１１１ １１１１ １１１１")))
    }

    @Test func myNumberCheckDigit() {
        // 12345678901: weighted sum 212, 212 % 11 = 3, check digit 11 - 3 = 8.
        #expect(Checksums.myNumber(Checksums.digits(of: "123456789018")))
        #expect(!Checksums.myNumber(Checksums.digits(of: "123456789012")))
        #expect(!Checksums.myNumber(Checksums.digits(of: "12345678901")))
    }

    @Test func ibanModulo97() {
        #expect(Checksums.iban("GB82 WEST 1234 5698 7654 32"))
        #expect(Checksums.iban("DE89370400440532013000"))
        #expect(!Checksums.iban("GB82 WEST 1234 5698 7654 33"))
    }
}
