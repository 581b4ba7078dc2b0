/// An address range in CIDR form (`10.0.0.0/8`, `fd00::/8`), or one address.
public struct AddressRange: Equatable, Hashable, Sendable, CustomStringConvertible {
    public let base: IPAddress
    public let prefix: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let base = IPAddress(String(parts[0])) else { return nil }
        let maximum = if case .v4 = base { 32 } else { 128 }
        var prefix = maximum
        if parts.count == 2 {
            guard (1...3).contains(parts[1].count), parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
                  let value = Int(parts[1]), value <= maximum else { return nil }
            prefix = value
        }
        self.base = base
        self.prefix = prefix
    }

    public func contains(_ address: IPAddress) -> Bool {
        switch (base, address) {
        case let (.v4(network), .v4(value)):
            guard prefix > 0 else { return true }
            let mask = UInt32.max << UInt32(32 - prefix)
            return network & mask == value & mask
        case let (.v6(network), .v6(value)):
            var remaining = prefix
            for index in 0..<16 where remaining > 0 {
                let bits = min(8, remaining)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if network[index] & mask != value[index] & mask { return false }
                remaining -= bits
            }
            return true
        default:
            return false
        }
    }

    public var description: String { "\(base)/\(prefix)" }
}
