import Testing
@testable import LinkPreview
import NetworkAddress

@Suite struct AddressGuardTests {
    let guardian = AddressGuard()

    func refused(_ text: String) -> Bool {
        guard let address = IPAddress(text) else { Issue.record("\(text) did not parse"); return false }
        if case .refused = guardian.verdict(address) { return true }
        return false
    }

    @Test(arguments: [
        "127.0.0.1", "127.255.255.254", "0.0.0.0", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
        "169.254.169.254", "100.64.0.1", "224.0.0.1", "239.255.255.250", "255.255.255.255", "240.0.0.1",
        "192.0.2.10", "198.51.100.7", "203.0.113.9", "198.18.0.1", "192.0.0.8",
    ])
    func internalIPv4_isRefused(_ text: String) { #expect(refused(text), "\(text)") }

    @Test(arguments: [
        "::", "::1", "fc00::1", "fd12:3456::1", "fe80::1", "fec0::1", "ff02::1", "2001:db8::1", "100::1",
        // IPv4 inside IPv6: mapped, compatible, NAT64, 6to4, Teredo.
        "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:169.254.169.254", "::127.0.0.1", "64:ff9b::127.0.0.1",
        "64:ff9b::a9fe:a9fe", "2002:7f00:1::", "2002:c0a8:101::1", "2001:0:4136:e378:8000:63bf:80ff:fffe",
        "64:ff9b:1::1",
    ])
    func internalIPv6AndEmbeddedForms_areRefused(_ text: String) { #expect(refused(text), "\(text)") }

    @Test(arguments: ["93.184.216.34", "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450:4001:82a::200e",
                      "::ffff:93.184.216.34", "64:ff9b::808:808"])
    func publicAddresses_areAllowed(_ text: String) { #expect(!refused(text), "\(text)") }

    @Test func operatorLists_denyMore_andAllowOnlyWhatTheyName() throws {
        let custom = AddressGuard(allowed: [try #require(AddressRange("127.0.0.2/32"))],
                                  denied: [try #require(AddressRange("93.184.216.0/24"))])
        #expect(custom.verdict(try #require(IPAddress("127.0.0.2"))) == .allowed)
        #expect(custom.verdict(try #require(IPAddress("127.0.0.1"))) != .allowed)
        #expect(custom.verdict(try #require(IPAddress("93.184.216.34"))) != .allowed)
    }

    @Test(arguments: ["1.2.3", "1.2.3.4.5", "256.0.0.1", "01.2.3.4", "1.2.3.-4", "::1::", "1:2:3:4:5:6:7:8:9",
                      "fe80::1%eth0", "[::1]", "12345::", "::ffff:1.2.3", "0x7f.0.0.1"])
    func malformedAddresses_doNotParse(_ text: String) { #expect(IPAddress(text) == nil, "\(text)") }

    @Test func ranges_matchByPrefix() throws {
        let range = try #require(AddressRange("172.16.0.0/12"))
        #expect(range.contains(try #require(IPAddress("172.31.0.1"))))
        #expect(!range.contains(try #require(IPAddress("172.32.0.1"))))
        let v6 = try #require(AddressRange("fe80::/10"))
        let inside = try #require(IPAddress("febf::1"))
        let outside = try #require(IPAddress("fec0::1"))
        #expect(v6.contains(inside) && !v6.contains(outside))
        #expect(AddressRange("10.0.0.0/33") == nil && AddressRange("::/129") == nil)
    }
}
