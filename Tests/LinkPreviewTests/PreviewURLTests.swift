import Testing
@testable import LinkPreview
import NetworkAddress

@Suite struct PreviewURLTests {
    @Test func plainLinks_areKept_withTheirPathAndQuery_withoutTheFragment() throws {
        let url = try PreviewURL("https://Example.COM/a/b?c=d#frag")
        #expect(url.scheme == "https" && url.host == .name("example.com") && url.port == 443 && url.target == "/a/b?c=d")
        #expect(url.description == "https://example.com/a/b?c=d")
        #expect(try PreviewURL("http://example.com").target == "/")
    }

    @Test func internationalNames_becomePunycode() throws {
        #expect(try PreviewURL("https://bücher.example/").host == .name("xn--bcher-kva.example"))
        #expect(try PreviewURL("http://例え.テスト/").host == .name("xn--r8jz45g.xn--zckzah"))
    }

    @Test(arguments: [
        "ftp://example.com/", "file:///etc/passwd", "gopher://example.com", "javascript:alert(1)", "//example.com",
        "http://user:pass@example.com/", "http://example.com@127.0.0.1/", "http://2130706433/", "http://0x7f.1/",
        "http://127.1/", "http://0177.0.0.1/", "http://[::1", "http://exa mple.com/", "http:/\\example.com",
        "http://example.com\\@127.0.0.1/", "", "http://", "http://-bad.example/", "http://a..b/",
    ])
    func badLinks_areRefused(_ text: String) {
        #expect(throws: PreviewURL.Problem.self, "\(text)") { try PreviewURL(text) }
    }

    @Test func otherPorts_needConfiguring() throws {
        #expect(throws: PreviewURL.Problem.port(8080)) { try PreviewURL("http://example.com:8080/") }
        #expect(try PreviewURL("http://example.com:8080/", allowedPorts: [80, 443, 8080]).port == 8080)
    }

    @Test func literalAddresses_parse_forTheGuardToJudge() throws {
        #expect(try PreviewURL("http://127.0.0.1/").host == .address(.v4(0x7F00_0001)))
        #expect(try PreviewURL("http://[::ffff:169.254.169.254]/").host == .address(try #require(IPAddress("::ffff:a9fe:a9fe"))))
    }

    @Test func unsafeBytesInThePath_arePercentEncoded() throws {
        #expect(try PreviewURL("https://example.com/ä b\"<>").target == "/%C3%A4%20b%22%3C%3E")
    }
}
