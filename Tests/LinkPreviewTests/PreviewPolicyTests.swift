import Testing
@testable import LinkPreview
import NetworkAddress

@Suite struct PreviewPolicyTests {
    @Test func lists_readRangesAndNames() throws {
        let policy = PreviewPolicy(allow: try #require(AddressRules("10.1.2.0/24, wiki.intranet.example")),
                                   deny: try #require(AddressRules("203.0.114.0/24,Evil.Example.")))
        #expect(policy.addressGuard.verdict(IPAddress("10.1.2.3")!) == .allowed)
        #expect(policy.addressGuard.verdict(IPAddress("10.1.3.3")!) != .allowed)
        #expect(policy.addressGuard.verdict(IPAddress("203.0.114.9")!) != .allowed)
        #expect(policy.hostNames.denies("evil.example") && policy.hostNames.denies("www.evil.example"))
        #expect(!policy.hostNames.denies("notevil.example"))
        #expect(policy.hostNames.allows("wiki.intranet.example") && !policy.hostNames.allows("intranet.example"))
    }

    @Test(arguments: ["10.0.0.0/33", "not a host!", "http://x/", "1.2.3.4/-1", "*.example", "example.org:80", "0x7f.1"])
    func badEntries_areRefused(_ entry: String) {
        #expect(AddressRules(entry) == nil)
        #expect(AddressRules("10.0.0.0/8," + entry) == nil)
    }

    @Test func names_areReadAsLinksReadThem() throws {
        let rules = try #require(AddressRules(" Bücher.Example. , 10.0.0.0/8,fd00::/8"))
        #expect(rules.names == ["xn--bcher-kva.example"])
        #expect(rules.ranges.map(\.description) == ["10.0.0.0/8", "fd00:0:0:0:0:0:0:0/8"])
        #expect(AddressRules(rules.description) == rules)
        #expect(AddressRules("") == AddressRules.none)
    }
}
