import NetworkAddress

/// Which addresses a preview may connect to. Asked at the socket, for every
/// connection (the first, each redirect's, any a rebinding name resolves to),
/// so no address reaches connect() unchecked.
///
/// Refused: everything that is not the public Internet (RFC 6890's special
/// purpose registries), and IPv6 forms that carry an IPv4 address (mapped,
/// compatible, 6to4, Teredo, NAT64) when that address would be refused.
/// The operator's deny list adds to that; the allow list (meant for a test
/// origin or a known internal preview source) is the only way past the rest.
public struct AddressGuard: Sendable {
    public enum Verdict: Equatable, Sendable {
        case allowed
        case refused(String)
    }

    public let allowed: [AddressRange]
    public let denied: [AddressRange]

    public init(allowed: [AddressRange] = [], denied: [AddressRange] = []) {
        self.allowed = allowed
        self.denied = denied
    }

    public func verdict(_ address: IPAddress) -> Verdict {
        // The deny list wins: it holds the forum's own addresses, which no allowed range may reopen.
        if let range = denied.first(where: { $0.contains(address) }) { return .refused("in the deny list (\(range))") }
        if allowed.contains(where: { $0.contains(address) }) { return .allowed }
        return Self.builtIn(address)
    }

    static let refusedV4: [(String, String)] = [
        ("0.0.0.0/8", "this network"), ("10.0.0.0/8", "private"), ("100.64.0.0/10", "shared address space (CGNAT)"),
        ("127.0.0.0/8", "loopback"), ("169.254.0.0/16", "link-local (cloud metadata)"), ("172.16.0.0/12", "private"),
        ("192.0.0.0/24", "IETF protocol assignments"), ("192.0.2.0/24", "documentation"),
        ("192.88.99.0/24", "6to4 relay anycast"), ("192.168.0.0/16", "private"), ("198.18.0.0/15", "benchmarking"),
        ("198.51.100.0/24", "documentation"), ("203.0.113.0/24", "documentation"), ("224.0.0.0/4", "multicast"),
        ("240.0.0.0/4", "reserved and broadcast"),
    ]

    static let refusedV6: [(String, String)] = [
        ("::/128", "unspecified"), ("::1/128", "loopback"), ("100::/64", "discard-only"),
        ("64:ff9b:1::/48", "local-use NAT64"), ("2001::/23", "IETF protocol assignments"),
        ("2001:db8::/32", "documentation"), ("fc00::/7", "unique local"), ("fe80::/10", "link-local"),
        ("fec0::/10", "site-local"), ("ff00::/8", "multicast"), ("3fff::/20", "documentation"),
        ("5f00::/16", "segment routing"),
    ]

    private static let v4Ranges = refusedV4.map { (AddressRange($0.0)!, $0.1) }
    private static let v6Ranges = refusedV6.map { (AddressRange($0.0)!, $0.1) }

    static func builtIn(_ address: IPAddress) -> Verdict {
        switch address {
        case .v4:
            if let (_, reason) = v4Ranges.first(where: { $0.0.contains(address) }) { return .refused(reason) }
            return .allowed
        case .v6(let bytes):
            // Forms that reach an IPv4 address: judged by that address.
            if let (embedded, form) = embeddedV4(bytes) {
                if case .refused(let reason) = builtIn(.v4(embedded)) { return .refused("\(form) of \(reason)") }
                // Mapped and NAT64 forms reach the public IPv4 inside; tunnels (6to4, Teredo) and the
                // deprecated compatible form go through relays nobody vouches for.
                if form == "IPv4-mapped" || form == "NAT64" { return .allowed }
                return .refused(form)
            }
            if let (_, reason) = v6Ranges.first(where: { $0.0.contains(address) }) { return .refused(reason) }
            // Only global unicast (2000::/3) is the Internet.
            guard bytes[0] & 0xE0 == 0x20 else { return .refused("not global unicast") }
            return .allowed
        }
    }

    /// The IPv4 address an IPv6 form carries, and the form's name.
    static func embeddedV4(_ bytes: [UInt8]) -> (UInt32, String)? {
        func v4(_ offset: Int) -> UInt32 { bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) } }
        let zeros10 = bytes[0..<10].allSatisfy { $0 == 0 }
        if zeros10 && bytes[10] == 0xFF && bytes[11] == 0xFF { return (v4(12), "IPv4-mapped") }
        if zeros10 && bytes[10] == 0 && bytes[11] == 0 && v4(12) > 1 { return (v4(12), "IPv4-compatible") }
        if bytes[0..<12] == [0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0] { return (v4(12), "NAT64") }
        if bytes[0] == 0x20 && bytes[1] == 0x02 { return (v4(2), "6to4") }
        if bytes[0..<4] == [0x20, 0x01, 0x00, 0x00] { return (~v4(12), "Teredo") }
        return nil
    }
}
