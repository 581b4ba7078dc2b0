/// Host names an operator refuses outright or lets reach any address. A name
/// covers itself and its subdomains: `example.org` covers `a.example.org`.
public struct HostNameRules: Equatable, Sendable {
    public var denied: [String] = []
    public var allowed: [String] = []

    public init(denied: [String] = [], allowed: [String] = []) {
        self.denied = denied
        self.allowed = allowed
    }

    public func denies(_ name: String) -> Bool { denied.contains { Self.covers($0, name) } }
    public func allows(_ name: String) -> Bool { allowed.contains { Self.covers($0, name) } }

    static func covers(_ rule: String, _ name: String) -> Bool {
        name == rule || name.hasSuffix("." + rule)
    }
}

/// The operator's lists (`RW_PREVIEW_ALLOW`, `RW_PREVIEW_DENY`): CIDR ranges and
/// host names separated by commas, read once into the guard and the name rules.
public struct PreviewPolicy: Sendable {
    public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
        public let description: String
    }

    public let addressGuard: AddressGuard
    public let hostNames: HostNameRules

    public init(allow: String, deny: String) throws(Problem) {
        let (allowedRanges, allowedNames) = try Self.parse(allow)
        let (deniedRanges, deniedNames) = try Self.parse(deny)
        addressGuard = AddressGuard(allowed: allowedRanges, denied: deniedRanges)
        hostNames = HostNameRules(denied: deniedNames, allowed: allowedNames)
    }

    static func parse(_ list: String) throws(Problem) -> ([AddressRange], [String]) {
        var ranges: [AddressRange] = []
        var names: [String] = []
        for item in list.split(separator: ",").map({ String($0.filter { $0 != " " }) }) where !item.isEmpty {
            if let range = AddressRange(item) {
                ranges.append(range)
            } else if let url = try? PreviewURL("http://\(item)/"), case .name(let name) = url.host {
                names.append(name)
            } else {
                throw Problem(description: "'\(item)' is neither an address range nor a host name")
            }
        }
        return (ranges, names)
    }
}

extension AddressGuard {
    /// Allows every address: for a host name the operator allowed.
    static let everything = AddressGuard(allowed: [AddressRange("0.0.0.0/0")!, AddressRange("::/0")!])
}
