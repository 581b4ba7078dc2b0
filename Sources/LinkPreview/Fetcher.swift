import CCurlShim
#if canImport(Glibc)
import Glibc
#endif

/// Fetches a page for a preview with libcurl: one request per hop, redirects
/// followed here (at most `maxRedirects`, each target checked as a new link),
/// and every address any connection is about to use put to the `AddressGuard`
/// at the socket, so a redirect or a name that resolves somewhere else the
/// second time cannot reach what the guard refuses. The only file that speaks
/// to libcurl.
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
    public var allowedPorts: Set<Int> = [80, 443]
    public var maxBytes = 1024 * 1024
    public var maxRedirects = 5
    public var connectTimeoutMilliseconds = 3000
    public var totalTimeoutMilliseconds = 10_000
    public var userAgent = "remote-worker link preview (+https://example.org/remote-worker)"

    public init(addressGuard: AddressGuard) {
        self.addressGuard = addressGuard
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
        init(_ addressGuard: AddressGuard, _ ports: Set<Int>) {
            self.addressGuard = addressGuard
            self.ports = ports
        }
    }

    private func fetchOnce(_ url: PreviewURL) throws(Failure) -> Hop {
        let check = Check(addressGuard, allowedPorts)
        var result = rw_fetch_result()
        let status = withExtendedLifetime(check) { () -> Int32 in
            var request = rw_fetch_request()
            request.connect_timeout_ms = connectTimeoutMilliseconds
            request.total_timeout_ms = totalTimeoutMilliseconds
            request.max_bytes = maxBytes
            request.context = Unmanaged.passUnretained(check).toOpaque()
            request.allow_address = { context, family, address, port in
                guard let context, let address else { return 0 }
                let check = Unmanaged<Check>.fromOpaque(context).takeUnretainedValue()
                let bytes = (0..<(family == AF_INET ? 4 : 16)).map { address[$0] }
                guard let ip = IPAddress(bytes: bytes), check.ports.contains(Int(port)) else { return 0 }
                return check.addressGuard.verdict(ip) == .allowed ? 1 : 0
            }
            return url.description.withCString { urlText in
                userAgent.withCString { agent in
                    request.url = urlText
                    request.user_agent = agent
                    return rw_fetch(&request, &result)
                }
            }
        }
        defer { rw_fetch_free(&result) }
        if result.refused_address != 0 { throw .blockedAddress }
        if result.too_large != 0 { throw .tooLarge(limit: maxBytes) }
        if result.timed_out != 0 { throw .timeout }
        guard status == 0 else { throw .fetchFailed(detail: Self.text(of: result.error), status: nil) }
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
