import Crypto
import Foundation
import Testing

@testable import OutguardLog

/// What of a matched text reaches the log, for each `log.match`.
@Suite struct MatchFormTests {
    @Test func maskedKeepsEachWordsFirstCharacterAndTheDomainSuffix() {
        let cases: [(String, String)] = [
            ("taro@example.jp", "t***@e******.jp"),
            ("taro.yamada@example.co.jp", "t***.y*****@e******.c*.jp"),
            ("a@b.io", "a@b.io"),
            ("4111 1111 1111 1111", "4*** 1*** 1*** 1***"),
            ("4111-1111-1111-1111", "4***-1***-1***-1***"),
            ("sk-proj-AbC123xyz", "s*-p***-A********"),
            ("090-1234-5678", "0**-1***-5***"),
            ("Acme Corp", "A*** C***"),
            // The ASCII characters next to the digits and letters are no part of a word.
            ("Az09/:@[`{~Zz", "A***/:@[`{~Z*"),
            // Any script: kana and kanji are letters too.
            ("山田太郎", "山***"),
            ("連絡先は やまだ たろう です", "連*** や** た** で*"),
            ("０９０－１２３４", "０**－１***"),
            // A last run of digits, or of three letters, is no domain suffix.
            ("v1.23", "v*.2*"),
            ("x.1a", "x.1*"),
            // Letters of any case and script make a suffix.
            ("TARO@EXAMPLE.JP", "T***@E******.JP"),
            ("例え.日本", "例*.日本"),
            ("host.com", "h***.c**"),
            ("", ""),
        ]
        let form = MatchForm(.masked)
        for (text, masked) in cases {
            #expect(form.written(text) == masked, "\(text)")
        }
    }

    @Test func hmacIsTheKeyedHashEqualForEqualText() throws {
        let form = MatchForm(.hmac, hmacKey: Array("key".utf8))
        let written = try #require(form.written("taro@example.jp"))
        let expected = HMAC<SHA256>.authenticationCode(
            for: Array("taro@example.jp".utf8), using: SymmetricKey(data: Array("key".utf8)))
        #expect(written == "hmac-sha256:" + expected.map { String(format: "%02x", $0) }.joined())
        #expect(written.count == "hmac-sha256:".count + 64)
        #expect(form.written("taro@example.jp") == written)
        #expect(form.written("taro@example.jq") != written)
        // Another key, another hash: nobody without the key can test a guess.
        #expect(MatchForm(.hmac, hmacKey: Array("other".utf8)).written("taro@example.jp") != written)
    }

    @Test func hmacOfAKnownVector() {
        // RFC 4231, test case 2.
        let form = MatchForm(.hmac, hmacKey: Array("Jefe".utf8))
        #expect(
            form.written("what do ya want for nothing?")
                == "hmac-sha256:5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func fullKeepsTheTextAndNoneKeepsNothing() {
        #expect(MatchForm(.full).written("taro@example.jp") == "taro@example.jp")
        #expect(MatchForm(.none).written("taro@example.jp") == nil)
    }

    @Test func theConfigSaysWhichForm() {
        var config = LogConfig()
        #expect(MatchForm(config).written("abc") == "a**")
        config.match = .hmac
        config.hmacKey = Array("k".utf8)
        #expect(MatchForm(config).written("abc")?.hasPrefix("hmac-sha256:") == true)
    }
}
