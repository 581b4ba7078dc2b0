/// An operator's list of where previews may or may not go (`RW_PREVIEW_ALLOW`,
/// `RW_PREVIEW_DENY`): CIDR ranges and host names, separated by commas, read once.
/// A name stands for itself and its subdomains.
public struct AddressRules: Equatable, Sendable, CustomStringConvertible {
    public let ranges: [AddressRange]
    /// Names as `URLHost` reads them (lower case, Punycode, no trailing dot), `*.` kept in front.
    public let names: [String]

    public static let none = AddressRules(ranges: [], names: [])

    public init(ranges: [AddressRange], names: [String]) {
        self.ranges = ranges
        self.names = names
    }

    /// nil when an entry is neither an address range nor a host name.
    public init?(_ list: String) {
        var ranges: [AddressRange] = []
        var names: [String] = []
        for item in list.split(separator: ",").map({ String($0.filter { $0 != " " }) }) where !item.isEmpty {
            if let range = AddressRange(item) {
                ranges.append(range)
            } else if let host = try? URLHost(Substring(item.hasPrefix("*.") ? item.dropFirst(2) : Substring(item))),
                      case .name(let name) = host {
                // `*.name`: the names under it, for rules that tell a host from its subdomains.
                names.append(item.hasPrefix("*.") ? "*." + name : name)
            } else {
                return nil
            }
        }
        self.init(ranges: ranges, names: names)
    }

    public var description: String { (ranges.map(\.description) + names).joined(separator: ",") }
}
