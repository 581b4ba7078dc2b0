import CCurlShim
#if canImport(Glibc)
import Glibc
#endif
import NetworkAddress

/// Fetches a page for a preview with libcurl: one request per hop, redirects
/// followed here (at most `maxRedirects`, each target checked as a new link),
/// and every address any connection is about to use put to the `AddressGuard`
/// at the socket, so a redirect or a name that resolves somewhere else the
/// second time cannot reach what the guard refuses. With a proxy, the name is
/// resolved and checked here and the proxy only tunnels to that address. The
/// only file that speaks to libcurl.
public struct Fetcher: Sendable {
    public struct Page: Equatable, Sendable {
        public let finalURL: PreviewURL
        public let status: Int
        public let contentType: String
        public let body: [UInt8]
        public let redirects: Int
    }

    public enum Failure: Error, Equatable, Sendable {
        case badURL(String)
        /// The guard refused an address the link or one of its redirects led to.
        case blockedAddress
        case tooLarge(limit: Int)
        case timeout
        /// The target failed: no answer, or an error status.
        case fetchFailed(detail: String, status: Int?)
    }

    public var addressGuard: AddressGuard
    /// Host names refused whatever they resolve to, and names allowed to reach any address.
    public var hostNames = HostNameRules()
    public var allowedPorts: Set<Int> = [80, 443]
    public var maxBytes = 1024 * 1024
    /// The limit for a body the server calls HTML, when it differs from `maxBytes` (0: the same).
    public var maxHTMLBytes = 0
    public var maxRedirects = 5
    public var connectTimeoutMilliseconds = 3000
    public var totalTimeoutMilliseconds = 10_000
    public var userAgent = "remote-worker link preview (+https://example.org/remote-worker)"
    /// The Accept header; nil for libcurl's `*/*`.
    public var accept: String?
    /// End an HTML page's transfer once its head has arrived.
    public var stopAfterHead = false
    /// An HTTP proxy every connection goes through, named by its address.
    public var proxy: ProxyAddress?

    public init(addressGuard: AddressGuard) {
        self.addressGuard = addressGuard
    }

    /// Sets libcurl up; call once per process, before the system-call allow-list.
    public static func prepare() {
        rw_fetch_init()
    }

    public func fetch(_ start: PreviewURL) throws(Failure) -> Page {
        var url = start
        for redirects in 0...maxRedirects {
            let hop = try fetchOnce(url)
            guard (300..<400).contains(hop.status), hop.status != 304 else {
                guard (200..<300).contains(hop.status) else {
                    throw .fetchFailed(detail: "the site answered \(hop.status)", status: hop.status)
                }
                return Page(finalURL: url, status: hop.status, contentType: hop.contentType, body: hop.body, redirects: redirects)
            }
            guard !hop.location.isEmpty else { throw .fetchFailed(detail: "a redirect without a Location", status: hop.status) }
            do {
                url = try PreviewURL(hop.location, allowedPorts: allowedPorts)
            } catch {
                throw .badURL("a redirect to a link that is not previewed: \(error)")
            }
        }
        throw .fetchFailed(detail: "more than \(maxRedirects) redirects", status: nil)
    }

    struct Hop {
        let status: Int
        let contentType: String
        let location: String
        let body: [UInt8]
    }

    /// The check libcurl calls for every connection, with this fetcher as its context.
    private final class Check {
        let addressGuard: AddressGuard
        let ports: Set<Int>
        let proxy: ProxyAddress?
        init(_ addressGuard: AddressGuard, _ ports: Set<Int>, _ proxy: ProxyAddress?) {
            self.addressGuard = addressGuard
            self.ports = ports
            self.proxy = proxy
        }

        func allows(_ address: IPAddress, port: Int) -> Bool {
            // With a proxy, every connection is to the proxy: the target was checked before.
            if let proxy { return address == proxy.address && port == proxy.port }
            return ports.contains(port) && addressGuard.verdict(address) == .allowed
        }
    }

    /// The guard for one hop: a denied name is refused outright, an allowed one reaches any address.
    private func hopGuard(_ url: PreviewURL) throws(Failure) -> AddressGuard {
        guard case .name(let name) = url.host else { return addressGuard }
        if hostNames.denies(name) { throw .blockedAddress }
        return hostNames.allows(name) ? .everything : addressGuard
    }

    /// For a proxy: the address the tunnel goes to, resolved and checked here.
    private func pinnedAddress(_ url: PreviewURL, guard hopGuard: AddressGuard) throws(Failure) -> IPAddress {
        let candidates: [IPAddress]
        switch url.host {
        case .address(let address): candidates = [address]
        case .name(let name): candidates = Self.resolve(name)
        }
        guard !candidates.isEmpty else { throw .fetchFailed(detail: "the name does not resolve", status: nil) }
        guard let allowed = candidates.first(where: { hopGuard.verdict($0) == .allowed }) else { throw .blockedAddress }
        return allowed
    }

    private static func resolve(_ name: String) -> [IPAddress] {
        var bytes = [UInt8](repeating: 0, count: 16 * 16)
        var families = [Int32](repeating: 0, count: 16)
        let count = name.withCString { rw_resolve($0, &bytes, &families, 16) }
        guard count > 0 else { return [] }
        return (0..<Int(count)).compactMap { index in
            IPAddress(bytes: Array(bytes[(16 * index)..<(16 * index + (families[index] == AF_INET ? 4 : 16))]))
        }
    }

    private func fetchOnce(_ url: PreviewURL) throws(Failure) -> Hop {
        let hopGuard = try hopGuard(url)
        var connectTo: String?
        if proxy != nil {
            let address = try pinnedAddress(url, guard: hopGuard)
            connectTo = "\(url.hostText):\(url.port):\(address.uriLiteral):\(url.port)"
        }
        let check = Check(hopGuard, allowedPorts, proxy)
        var result = rw_fetch_result()
        withExtendedLifetime(check) {
            var request = rw_fetch_request()
            request.connect_timeout_ms = connectTimeoutMilliseconds
            request.total_timeout_ms = totalTimeoutMilliseconds
            request.max_bytes = maxBytes
            request.max_html_bytes = maxHTMLBytes
            request.stop_after_head = stopAfterHead ? 1 : 0
            request.context = Unmanaged.passUnretained(check).toOpaque()
            request.allow_address = { context, family, address, port in
                guard let context, let address else { return 0 }
                let check = Unmanaged<Check>.fromOpaque(context).takeUnretainedValue()
                let bytes = (0..<(family == AF_INET ? 4 : 16)).map { address[$0] }
                guard let ip = IPAddress(bytes: bytes) else { return 0 }
                return check.allows(ip, port: Int(port)) ? 1 : 0
            }
            withOptionalCString(accept) { accept in
                withOptionalCString(proxy?.description) { proxyURL in
                    withOptionalCString(connectTo) { connectTo in
                        url.description.withCString { urlText in
                            userAgent.withCString { agent in
                                request.url = urlText
                                request.user_agent = agent
                                request.accept = accept
                                request.proxy = proxyURL
                                request.connect_to = connectTo
                                _ = rw_fetch(&request, &result)
                            }
                        }
                    }
                }
            }
        }
        defer { rw_fetch_free(&result) }
        if result.refused_address != 0 { throw .blockedAddress }
        if result.too_large != 0 { throw .tooLarge(limit: Int(result.limit)) }
        if result.timed_out != 0 { throw .timeout }
        guard result.curl_code == 0, result.status > 0 else {
            throw .fetchFailed(detail: Self.text(of: result.error), status: nil)
        }
        let body = result.body_length > 0 && result.body != nil
            ? Array(UnsafeBufferPointer(start: result.body, count: result.body_length)) : []
        return Hop(status: result.status, contentType: Self.text(of: result.content_type),
                   location: Self.text(of: result.location), body: body)
    }

    private static func text<T>(of field: T) -> String {
        withUnsafeBytes(of: field) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}

private func withOptionalCString<R>(_ text: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
    guard let text else { return body(nil) }
    return text.withCString { body($0) }
}
