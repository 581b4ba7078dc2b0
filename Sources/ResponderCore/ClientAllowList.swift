import NetworkAddress

/// The addresses allowed to connect over TCP (`RW_ALLOWED_CLIENTS`), checked
/// on every accepted connection. An empty list admits everyone; with a list,
/// a peer that is not an IPv4 address on it (IPv6 included) is refused.
/// Unix-socket peers are local and always admitted: the socket's mode guards them.
public struct ClientAllowList: Sendable, Equatable {
    public enum Peer: Equatable, Sendable {
        case local
        /// Host byte order: 127.0.0.1 is 0x7F00_0001.
        case ipv4(UInt32)
        case other
    }

    private let addresses: Set<UInt32>

    /// From the configuration's list, read once when it was loaded (IPv6 entries cannot be on it).
    public init(_ list: [IPAddress]) {
        addresses = Set(list.compactMap { if case .v4(let value) = $0 { value } else { nil } })
    }

    public var isEmpty: Bool { addresses.isEmpty }

    public func admits(_ peer: Peer) -> Bool {
        switch peer {
        case .local: true
        case .ipv4(let address): addresses.isEmpty || addresses.contains(address)
        case .other: addresses.isEmpty
        }
    }
}
