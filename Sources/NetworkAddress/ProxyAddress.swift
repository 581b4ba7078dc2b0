/// An HTTP proxy named by its address: `http://IPv4:port` or `http://[IPv6]:port`, an
/// optional `/` after. Never a name: the fetchers would have it resolved unchecked.
public struct ProxyAddress: Equatable, Sendable, CustomStringConvertible {
    public let address: IPAddress
    public let port: Int

    public init(address: IPAddress, port: Int) {
        self.address = address
        self.port = port
    }

    public init?(_ text: String) {
        guard text.hasPrefix("http://") else { return nil }
        var rest = text.dropFirst("http://".count)
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard let colon = rest.lastIndex(of: ":") else { return nil }
        var host = rest[..<colon]
        let portText = rest[rest.index(after: colon)...]
        let bracketed = host.hasPrefix("[") && host.hasSuffix("]")
        if bracketed { host = host.dropFirst().dropLast() }
        guard (1...5).contains(portText.count), portText.allSatisfy({ $0.isASCII && $0.isNumber }),
              let port = Int(portText), (1...65535).contains(port), let address = IPAddress(String(host)) else { return nil }
        // An IPv6 address only in brackets, an IPv4 address never.
        if case .v6 = address, !bracketed { return nil }
        if case .v4 = address, bracketed { return nil }
        self.init(address: address, port: port)
    }

    /// The proxy's URL, as libcurl takes it.
    public var description: String { "http://\(address.uriLiteral):\(port)" }
}
