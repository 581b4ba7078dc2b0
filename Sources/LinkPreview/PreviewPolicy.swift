import NetworkAddress

/// Which host names a preview refuses before any lookup.
///
/// Refused: a name the deny list covers (an entry covers itself and its subdomains),
/// and a name that can only be internal: one label (`intranet`, `router`), or under a
/// suffix that is never public (`localhost`, `local`, `internal`, `home.arpa`, `test`…).
/// An allow-list entry exempts its exact host from the second rule, `*.name` the names
/// under it; the addresses an exempt name resolves to are judged like any others. The
/// deny list wins over the allow list.
public struct HostNameRules: Equatable, Sendable {
    public var denied: [String] = []
    public var allowed: [String] = []

    /// Suffixes no public name ends in: RFC 6761's special-use names, RFC 6762's `local`,
    /// RFC 8375's `home.arpa`, RFC 9476's `alt`, ICANN's `internal`, and the ones home and
    /// office networks use by habit.
    public static let internalSuffixes: Set<String> = [
        "localhost", "local", "internal", "localdomain", "arpa", "test", "invalid", "onion", "alt",
        "lan", "intranet", "corp", "home", "private",
    ]

    public init(denied: [String] = [], allowed: [String] = []) {
        self.denied = denied
        self.allowed = allowed
    }

    /// `name` as `URLHost` reads it: lower case, Punycode, no trailing dot.
    public func refusesByName(_ name: String) -> Bool {
        if denies(name) { return true }
        if exempts(name) { return false }
        return Self.isInternalOnly(name)
    }

    public func denies(_ name: String) -> Bool {
        denied.contains { rule in
            let base = rule.hasPrefix("*.") ? String(rule.dropFirst(2)) : rule
            return name == base || name.hasSuffix("." + base)
        }
    }

    /// Whether an allow-list entry names this host: exactly, or under a `*.` entry.
    public func exempts(_ name: String) -> Bool {
        allowed.contains { rule in
            rule.hasPrefix("*.") ? name.hasSuffix(rule.dropFirst(1)) : name == rule
        }
    }

    public static func isInternalOnly(_ name: String) -> Bool {
        let trimmed = name.hasSuffix(".") ? String(name.dropLast()) : name
        guard let last = trimmed.split(separator: ".", omittingEmptySubsequences: false).last,
              trimmed.contains(".") else { return true }
        return internalSuffixes.contains(String(last).lowercased())
    }
}

/// What a link may point at, fetched or only shown: a literal address the guard
/// allows, a name the name rules do not refuse. A name's addresses are judged at
/// the socket, when it is fetched.
public struct LinkRules: Sendable {
    public let addressGuard: AddressGuard
    public let hostNames: HostNameRules

    public init(addressGuard: AddressGuard = AddressGuard(), hostNames: HostNameRules = HostNameRules()) {
        self.addressGuard = addressGuard
        self.hostNames = hostNames
    }

    public func admits(_ host: URLHost) -> Bool {
        switch host {
        case .address(let address): addressGuard.verdict(address) == .allowed
        case .name(let name): !hostNames.refusesByName(name)
        }
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

    public var links: LinkRules { LinkRules(addressGuard: addressGuard, hostNames: hostNames) }
}
