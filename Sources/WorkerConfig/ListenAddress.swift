/// Where the FastCGI socket lives: a Unix socket path, or a TCP host and port.
public enum ListenAddress: Equatable, Sendable, CustomStringConvertible {
    case unix(path: String)
    case tcp(host: String, port: Int)

    /// Parses `/path/to.sock`, `./relative.sock`, `host:port` or `[::1]:port`.
    public init?(_ text: String) {
        if text.hasPrefix("/") || text.hasPrefix(".") {
            self = .unix(path: text)
            return
        }
        guard let colon = text.lastIndex(of: ":"),
              let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port)
        else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self = .tcp(host: host, port: port)
    }

    public var description: String {
        switch self {
        case .unix(let path): path
        case let .tcp(host, port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        }
    }
}
