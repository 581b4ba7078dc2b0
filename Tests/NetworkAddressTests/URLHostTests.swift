import Testing
@testable import NetworkAddress

/// The one reader of hosts and addresses, for links and settings alike.
@Suite struct URLHostTests {
    @Test("hosts", arguments: [
        ("Example.COM.", URLHost.name("example.com")), ("bücher.example", .name("xn--bcher-kva.example")),
        ("10.0.0.1", .address(.v4(0x0A00_0001))), ("[::1]", .address(IPAddress("::1")!)),
    ])
    func hosts_areReadInTheirOnePlainSpelling(_ text: String, _ expected: URLHost) throws {
        #expect(try URLHost(Substring(text)) == expected)
    }

    @Test("refused hosts", arguments: ["", "2130706433", "0x7f.1", "127.1", "0177.0.0.1", "[10.0.0.1]", "[::1", "a..b",
                                       "-a.example", "a_b.example", String(repeating: "a", count: 64) + ".example", "exa mple"])
    func unusualSpellings_areRefused(_ text: String) {
        #expect(throws: URLHost.Problem.self) { try URLHost(Substring(text)) }
    }

    @Test func punycode_encodesAsRFC3492() {
        #expect(Punycode.encode("münchen") == "mnchen-3ya")
        #expect(Punycode.encode("bücher") == "bcher-kva")
    }

    @Test("addresses", arguments: [("127.0.0.1", true), ("::ffff:127.0.0.1", true), ("fd00::1", true),
                                   ("127.0.0.01", false), ("1.2.3", false), ("::1::", false), ("[::1]", false)])
    func addresses_areReadStrictly(_ text: String, _ valid: Bool) {
        #expect((IPAddress(text) != nil) == valid, "\(text)")
    }
}
