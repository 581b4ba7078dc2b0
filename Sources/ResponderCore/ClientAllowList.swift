import WorkerConfig

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

    /// From a comma-separated list; an entry that is not a dotted IPv4 address is left out
    /// (the configuration check refuses such lists before a pool starts).
    public init(_ list: String) {
        addresses = Set(list.split(separator: ",").compactMap { Self.parseIPv4($0.filter { $0 != " " }) })
    }

    public var isEmpty: Bool { addresses.isEmpty }

    public func admits(_ peer: Peer) -> Bool {
        switch peer {
        case .local: true
        case .ipv4(let address): addresses.isEmpty || addresses.contains(address)
        case .other: addresses.isEmpty
        }
    }

    /// Four decimal parts of 0–255, nothing else: as the configuration check reads them.
    public static func parseIPv4(_ text: String) -> UInt32? { text.ipv4Value }
}
