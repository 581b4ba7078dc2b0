import Testing
@testable import LinkSigning

@Suite struct LinkSignatureTests {
    /// RFC 4231, test case 2.
    @Test func hmac_isRFC4231s() {
        let digest = LinkSignature.hmacSHA256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        let hex = digest.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        #expect(hex == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func base64_isURLSafe_withoutPadding() {
        #expect(LinkSignature.urlSafeBase64([0xFB, 0xFF, 0xBF]) == "-_-_")
        #expect(LinkSignature.urlSafeBase64(Array("hello".utf8)) == "aGVsbG8")
    }

    @Test func aSignature_verifiesUnderAnyKey_forItsPurposeAndTextOnly() throws {
        let old = LinkSignature(keys: ["the-old-key-0123456789"])
        let both = LinkSignature(keys: ["the-new-key-0123456789", "the-old-key-0123456789"])
        let signature = try #require(old.sign("https://example.org/a", for: .preview))
        #expect(signature.count == LinkSignature.length)
        #expect(both.verifies(signature, of: "https://example.org/a", for: .preview))
        #expect(!both.verifies(signature, of: "https://example.org/b", for: .preview))
        #expect(!both.verifies(signature, of: "https://example.org/a", for: .imageProxy))
        #expect(!LinkSignature(keys: ["the-new-key-0123456789"]).verifies(signature, of: "https://example.org/a", for: .preview))
        #expect(!both.verifies(String(signature.dropLast()), of: "https://example.org/a", for: .preview))
        #expect(!both.verifies(signature + "A", of: "https://example.org/a", for: .preview))
        #expect(LinkSignature(keys: []).sign("x", for: .preview) == nil)
        #expect(!LinkSignature(keys: []).verifies(signature, of: "https://example.org/a", for: .preview))
    }

    /// The README's ten lines of Python give the same signature (computed with them).
    @Test func theReadmesPython_agrees() {
        let signer = LinkSignature(keys: ["change-me-to-a-long-random-key"])
        #expect(signer.sign("https://example.org/post/1", for: .preview) == "zMSBtGg6cFnGFxXMj9XAnA")
    }
}
