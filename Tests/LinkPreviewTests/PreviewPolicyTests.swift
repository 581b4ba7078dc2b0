import Testing
@testable import LinkPreview

@Suite struct PreviewPolicyTests {
    @Test func lists_readRangesAndNames() throws {
        let policy = try PreviewPolicy(allow: "10.1.2.0/24, wiki.intranet.example", deny: "203.0.114.0/24,Evil.Example.")
        #expect(policy.addressGuard.verdict(IPAddress("10.1.2.3")!) == .allowed)
        #expect(policy.addressGuard.verdict(IPAddress("10.1.3.3")!) != .allowed)
        #expect(policy.addressGuard.verdict(IPAddress("203.0.114.9")!) != .allowed)
        #expect(policy.hostNames.denies("evil.example") && policy.hostNames.denies("www.evil.example"))
        #expect(!policy.hostNames.denies("notevil.example"))
        #expect(policy.hostNames.allows("wiki.intranet.example") && !policy.hostNames.allows("intranet.example"))
    }

    @Test(arguments: ["10.0.0.0/33", "not a host!", "http://x/", "1.2.3.4/-1", "*.example"])
    func badEntries_areReported(_ entry: String) {
        #expect(throws: PreviewPolicy.Problem.self) { try PreviewPolicy(allow: entry, deny: "") }
    }

    @Test func proxy_isAnAddressAndPort_only() {
        #expect(Fetcher.Proxy("http://10.0.0.8:3128") == Fetcher.Proxy("http://10.0.0.8:3128"))
        #expect(Fetcher.Proxy("http://10.0.0.8:3128")?.port == 3128)
        #expect(Fetcher.Proxy("http://[fd00::8]:3128") != nil)
        for bad in ["http://proxy.example:3128", "https://10.0.0.8:3128", "http://10.0.0.8:3128/path", "", "socks5://10.0.0.8:1080"] {
            #expect(Fetcher.Proxy(bad) == nil, "\(bad)")
        }
    }
}
