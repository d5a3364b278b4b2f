import Testing

@testable import OutguardAdmin

@Suite struct FormFieldsTests {
    @Test func decodesWhatBrowsersSend() {
        let fields = FormFields("note=a+b%2Cc&empty=&rule=pii.email&rule=second&blank=+++&%E9%80%A3=%E7%B5%A1")
        #expect(fields["note"] == "a b,c")
        #expect(fields["rule"] == "pii.email")
        #expect(fields["empty"] == nil)
        #expect(fields["blank"] == nil)
        #expect(fields["連"] == "絡")
        #expect(fields["missing"] == nil)
    }

    @Test func encodingReadsBackAndSkipsEmptyValues() {
        let encoded = FormFields.encode([("rule", "a&b=c d"), ("pack", ""), ("note", "連絡先")])
        #expect(!encoded.contains("pack"))
        let fields = FormFields(encoded)
        #expect(fields["rule"] == "a&b=c d")
        #expect(fields["note"] == "連絡先")
    }

    @Test func theDefaultViewHasNoQueryString() throws {
        #expect(try ReviewFilter(FormFields("")).pagePath == "/review")
        #expect(try ReviewFilter(FormFields("range=24h")).pagePath == "/review")
        #expect(try ReviewFilter(FormFields("range=all&severity=high")).pagePath == "/review?severity=high&range=all")
    }
}
