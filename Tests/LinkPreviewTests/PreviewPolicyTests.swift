import Testing
@testable import LinkPreview
import NetworkAddress

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
}
