import NetworkAddress
import Testing
@testable import ResponderCore

@Suite struct ClientAllowListTests {
    static func addresses(_ texts: String...) -> [IPAddress] { texts.compactMap(IPAddress.init) }

    @Test func listedIPv4Peers_only_whenAListIsGiven() {
        let list = ClientAllowList(Self.addresses("127.0.0.1", "10.0.0.7"))
        #expect(list.admits(.ipv4(0x7F00_0001)))
        #expect(list.admits(.ipv4(0x0A00_0007)))
        #expect(!list.admits(.ipv4(0x0A00_0008)))
        // Fail closed: a peer the list cannot name is refused.
        #expect(!list.admits(.other))
        #expect(list.admits(.local))
    }

    @Test func emptyList_admitsEveryone() {
        let list = ClientAllowList([])
        #expect(list.isEmpty)
        #expect(list.admits(.ipv4(0x0102_0304)) && list.admits(.other) && list.admits(.local))
    }

    @Test(arguments: ["1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3", "01234.1.1.1", "+1.2.3.4", "a.b.c.d", "1.2.3.4 ", "010.0.0.1"])
    func malformedAddresses_areNotParsed(_ text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func dottedQuad_isParsedInHostOrder() {
        #expect(IPAddress("192.168.0.1") == .v4(0xC0A8_0001))
        #expect(IPAddress("0.0.0.0") == .v4(0))
    }
}
