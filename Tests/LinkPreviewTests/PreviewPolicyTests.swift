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
        #expect(policy.hostNames.exempts("wiki.intranet.example") && !policy.hostNames.exempts("intranet.example"))
    }

    @Test(arguments: ["intranet", "router", "localhost", "a.localhost", "printer.local", "metadata.google.internal", "db.internal",
                      "box.localdomain", "nas.home.arpa", "1.0.0.127.in-addr.arpa", "x.test", "x.invalid", "abc.onion", "x.alt",
                      "nas.lan", "wiki.intranet", "mail.corp", "tv.home", "x.private", "LOCALHOST"])
    func internalOnlyNames_areRefusedByName(_ name: String) {
        #expect(HostNameRules().refusesByName(name.lowercased()))
    }

    @Test(arguments: ["example.org", "www.example.com", "news.bbc.co.uk", "xn--bcher-kva.example", "localhost.example.org",
                      "test.example.org", "internal.example.net"])
    func publicNames_areNotRefusedByName(_ name: String) {
        #expect(!HostNameRules().refusesByName(name))
    }

    @Test func anAllowedName_exemptsItsExactHost_aStarEntryItsSubdomains() throws {
        let exact = PreviewPolicy(allow: try #require(AddressRules("partner.test")), deny: .none).hostNames
        #expect(!exact.refusesByName("partner.test"))
        #expect(exact.refusesByName("evil.partner.test") && exact.refusesByName("a.b.partner.test"))
        let star = PreviewPolicy(allow: try #require(AddressRules("*.partner.test")), deny: .none).hostNames
        #expect(!star.refusesByName("evil.partner.test") && !star.refusesByName("a.b.partner.test"))
        #expect(star.refusesByName("partner.test") && star.refusesByName("evilpartner.test"))
        // The deny list wins, and covers subdomains.
        let both = PreviewPolicy(allow: try #require(AddressRules("*.partner.test,forum.example.org")),
                                 deny: try #require(AddressRules("bad.partner.test,forum.example.org"))).hostNames
        #expect(both.refusesByName("bad.partner.test") && both.refusesByName("x.bad.partner.test"))
        #expect(both.refusesByName("forum.example.org") && !both.refusesByName("good.partner.test"))
    }

    @Test func theDenyList_winsOverTheAllowList_forAddresses() throws {
        let policy = PreviewPolicy(allow: try #require(AddressRules("127.0.0.0/8")), deny: try #require(AddressRules("127.0.0.9")))
        #expect(policy.addressGuard.verdict(IPAddress("127.0.0.2")!) == .allowed)
        #expect(policy.addressGuard.verdict(IPAddress("127.0.0.9")!) != .allowed)
    }

    @Test(arguments: ["10.0.0.0/33", "not a host!", "http://x/", "1.2.3.4/-1", "*.", "**.example", "a.*.example", "example.org:80", "0x7f.1"])
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
        #expect(AddressRules("*.Partner.Test.")?.names == ["*.partner.test"])
    }
}
