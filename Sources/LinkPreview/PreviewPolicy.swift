import NetworkAddress

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

/// The operator's lists (`RW_PREVIEW_ALLOW`, `RW_PREVIEW_DENY`), read once by the
/// configuration, turned into the guard and the name rules.
public struct PreviewPolicy: Sendable {
    public let addressGuard: AddressGuard
    public let hostNames: HostNameRules

    public init(allow: AddressRules, deny: AddressRules) {
        addressGuard = AddressGuard(allowed: allow.ranges, denied: deny.ranges)
        hostNames = HostNameRules(denied: deny.names, allowed: allow.names)
    }
}

extension AddressGuard {
    /// Allows every address: for a host name the operator allowed.
    static let everything = AddressGuard(allowed: [AddressRange("0.0.0.0/0")!, AddressRange("::/0")!])
}
