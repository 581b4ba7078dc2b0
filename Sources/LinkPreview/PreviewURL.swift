import NetworkAddress

/// A member's link, checked before anything is fetched: http or https only, no
/// credentials, an allowed port, a host that is a DNS name (IDN turned into
/// Punycode) or a literal address in its one plain spelling, as `URLHost` reads it.
public struct PreviewURL: Equatable, Sendable, CustomStringConvertible {
    public typealias Host = URLHost

    public enum Problem: Error, Equatable, Sendable {
        case bad(String)
        case port(Int)
    }

    public let scheme: String
    public let host: Host
    public let port: Int
    /// Path and query, percent-encoded, starting with `/`; the fragment is dropped.
    public let target: String

    public static let maxLength = 2048
    /// Every port: for links only stored (a card's, an oEmbed answer's), whose fetch, if any, is checked again.
    public static let anyPort = Set(1...65535)

    public init(_ text: String, allowedPorts: Set<Int> = [80, 443]) throws(Problem) {
        let trimmed = String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        guard !trimmed.isEmpty, trimmed.utf8.count <= Self.maxLength else { throw .bad("empty or longer than 2048 bytes") }
        guard !trimmed.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { throw .bad("control characters") }
        let lower = trimmed.lowercased()
        let scheme: String
        if lower.hasPrefix("http://") { scheme = "http" } else if lower.hasPrefix("https://") { scheme = "https" } else {
            throw .bad("only http and https links are previewed")
        }
        let rest = trimmed.dropFirst(scheme.count + 3)
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" || $0 == "\\" } ?? rest.endIndex
        guard authorityEnd == rest.endIndex || rest[authorityEnd] != "\\" else { throw .bad("backslash in the address") }
        let authority = rest[..<authorityEnd]
        guard !authority.contains("@") else { throw .bad("credentials in the link") }
        let (hostText, portText) = try Self.splitPort(authority)
        let defaultPort = scheme == "https" ? 443 : 80
        let port = try portText.map { text throws(Problem) -> Int in
            guard (1...5).contains(text.count), text.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(text),
                  (1...65535).contains(value) else { throw .bad("port") }
            return value
        } ?? defaultPort
        guard allowedPorts.contains(port) else { throw .port(port) }
        self.scheme = scheme
        self.host = try Self.parseHost(hostText)
        self.port = port
        var target = String(rest[authorityEnd...])
        if let hash = target.firstIndex(of: "#") { target = String(target[..<hash]) }
        if !target.hasPrefix("/") { target = "/" + target }
        self.target = Self.percentEncoded(target)
        // Percent-encoding can grow a link past the limit: such a link would not read back.
        guard description.utf8.count <= Self.maxLength else { throw .bad("longer than 2048 bytes once encoded") }
    }

    public var hostText: String {
        switch host {
        case .name(let name): name
        case .address(let address): address.uriLiteral
        }
    }

    /// Scheme, host and the port when it is not the scheme's own: what a path is relative to.
    public var origin: String {
        let defaultPort = scheme == "https" ? 443 : 80
        return "\(scheme)://\(hostText)\(port == defaultPort ? "" : ":\(port)")"
    }

    public var description: String { origin + target }

    private static func splitPort(_ authority: Substring) throws(Problem) -> (Substring, Substring?) {
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw .bad("unclosed [") }
            let host = authority[...close]
            let after = authority[authority.index(after: close)...]
            if after.isEmpty { return (host, nil) }
            guard after.hasPrefix(":") else { throw .bad("text after ]") }
            return (host, after.dropFirst())
        }
        let parts = authority.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw .bad("more than one ':'") }
        return (parts[0], parts.count == 2 ? parts[1] : nil)
    }

    static func parseHost(_ text: Substring) throws(Problem) -> Host {
        do {
            return try URLHost(text)
        } catch {
            throw .bad(error.description)
        }
    }

    /// Bytes outside printable ASCII (and spaces) as %XX; existing escapes stay.
    static func percentEncoded(_ target: String) -> String {
        var out = ""
        for byte in target.utf8 {
            if byte > 0x20 && byte < 0x7F && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "<") && byte != UInt8(ascii: ">") {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
