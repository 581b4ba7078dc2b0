import CCurlShim
#if canImport(Glibc)
import Glibc
#endif
import NetworkAddress

/// One fetch's own limits: what a preview asks of the network for its page, its oEmbed
/// answer or its image. The deadline is the whole preview's: every hop of every fetch
/// of one preview shares it.
public struct FetchRequest: Equatable, Sendable {
    public var accept: String
    /// The limit for a body that says it is an image.
    public var maxBytes: Int
    /// The limit for any other body (one without a Content-Type included), read as HTML (0: `maxBytes`).
    public var maxHTMLBytes = 0
    /// End an HTML page's transfer once its head has arrived.
    public var stopAfterHead = false
    /// When the preview's time is up, on `FetchLoop.now()`'s clock.
    public var deadline: Double

    public init(accept: String, maxBytes: Int, maxHTMLBytes: Int = 0, stopAfterHead: Bool = false, deadline: Double) {
        self.accept = accept
        self.maxBytes = maxBytes
        self.maxHTMLBytes = maxHTMLBytes
        self.stopAfterHead = stopAfterHead
        self.deadline = deadline
    }

    /// Milliseconds left; nil when too little is left to start a connection.
    var remainingMilliseconds: Int? {
        let milliseconds = Int(((deadline - FetchLoop.now()) * 1000).rounded(.down))
        return milliseconds >= 50 ? milliseconds : nil
    }
}

/// Fetches a page for a preview with libcurl, on the process's `FetchLoop`: one
/// transfer per hop, redirects followed here (at most `maxRedirects`, each target
/// checked as a new link), and every address any connection is about to use put to
/// the `AddressGuard` at the socket, so a redirect or a name that resolves somewhere
/// else the second time cannot reach what the guard refuses. A name the operator
/// allowed is exempt from the name rules only; its addresses are judged like any
/// other. A name that does not resolve gets the answer a name of internal addresses
/// gets, so names cannot be probed. With a proxy, the name is resolved and checked
/// here and the proxy only tunnels to that address.
public struct Fetcher: Sendable {
    public struct Page: Equatable, Sendable {
        public let finalURL: PreviewURL
        public let status: Int
        public let contentType: String
        public let body: [UInt8]
        public let redirects: Int
        /// The page's Cache-Control header, empty when it sent none.
        public var cacheControl = ""

        public init(finalURL: PreviewURL, status: Int, contentType: String, body: [UInt8], redirects: Int,
                    cacheControl: String = "") {
            self.finalURL = finalURL
            self.status = status
            self.contentType = contentType
            self.body = body
            self.redirects = redirects
            self.cacheControl = cacheControl
        }
    }

    public enum Failure: Error, Equatable, Sendable {
        case badURL(String)
        /// The guard refused an address the link or one of its redirects led to, or a name
        /// that did not resolve.
        case blockedAddress
        case tooLarge(limit: Int)
        case timeout
        /// The target failed: no answer, or an error status.
        case fetchFailed(detail: String, status: Int?)
        /// The preview was abandoned (its client went away).
        case cancelled
        /// This fetcher's fetches to the host, or in all, are at their cap and the queue is full
        /// (or the turn did not come in time).
        case overloaded
    }

    public var addressGuard: AddressGuard
    /// Host names refused before any lookup (see `HostNameRules`).
    public var hostNames = HostNameRules()
    public var allowedPorts: Set<Int> = [80, 443]
    public var maxRedirects = 5
    public var connectTimeoutMilliseconds = 3000
    public var userAgent = "remote-worker link preview (+https://example.org/remote-worker)"
    /// The `Via` entry every request carries: the worker's mark, refused when it comes back.
    public var via: String? = Fetcher.defaultVia
    /// An HTTP proxy every connection goes through, named by its address.
    public var proxy: ProxyAddress?
    /// Turns per host and in all, shared by every preview of the process; nil for no limit.
    public var gate: FetchGate?

    /// For `fetch(_:)` alone (tests and tools): the limits of a one-off fetch.
    public var maxBytes = 1024 * 1024
    public var maxHTMLBytes = 0
    public var totalTimeoutMilliseconds = 10_000
    public var accept: String?
    public var stopAfterHead = false

    /// The token that marks a request as the worker's own, in its `Via` entry.
    public static let viaMark = "remote-worker"
    public static let defaultVia = "1.1 \(viaMark)"

    public init(addressGuard: AddressGuard) {
        self.addressGuard = addressGuard
    }

    /// Sets libcurl up; call once per process, before the system-call allow-list.
    public static func prepare() {
        rw_fetch_init()
    }

    /// Whether a link's host may be fetched from, as far as it can be judged before any
    /// lookup: a literal address by the guard, a name by the name rules.
    public func admits(_ host: URLHost) -> Bool { links.admits(host) }

    /// The rules this fetcher's links follow, for links a card only shows.
    public var links: LinkRules { LinkRules(addressGuard: addressGuard, hostNames: hostNames) }

    /// Fetches `start` on `loop`, following redirects, within `request`'s limits and deadline.
    public func fetch(_ start: PreviewURL, _ request: FetchRequest, on loop: FetchLoop) async throws(Failure) -> Page {
        var url = start
        for redirects in 0...maxRedirects {
            let hop = try await fetchOnce(url, request, on: loop)
            guard (300..<400).contains(hop.status), hop.status != 304 else {
                guard (200..<300).contains(hop.status) else {
                    throw .fetchFailed(detail: "the site answered \(hop.status)", status: hop.status)
                }
                return Page(finalURL: url, status: hop.status, contentType: hop.contentType, body: hop.body, redirects: redirects,
                            cacheControl: hop.cacheControl)
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

    /// A one-off fetch with this fetcher's own limits, on a loop of its own, waited for here.
    public func fetch(_ start: PreviewURL) throws(Failure) -> Page {
        guard let loop = FetchLoop() else { throw .fetchFailed(detail: "no event loop", status: nil) }
        let request = FetchRequest(accept: accept ?? "*/*", maxBytes: maxBytes, maxHTMLBytes: maxHTMLBytes,
                                   stopAfterHead: stopAfterHead,
                                   deadline: FetchLoop.now() + Double(totalTimeoutMilliseconds) / 1000)
        let outcome = OneOff()
        let fetcher = self
        Task(executorPreference: loop.executor) {
            do throws(Failure) {
                outcome.result = .success(try await fetcher.fetch(start, request, on: loop))
            } catch {
                outcome.result = .failure(error)
            }
        }
        while outcome.result == nil { loop.turn(maxWait: 0.1) }
        return try outcome.result!.get()
    }

    private final class OneOff: @unchecked Sendable {
        var result: Result<Page, Failure>?
    }

    struct Hop {
        let status: Int
        let contentType: String
        let location: String
        let body: [UInt8]
        let cacheControl: String
    }

    /// The check libcurl calls for every connection, with this fetcher as its context.
    fileprivate final class Check {
        let addressGuard: AddressGuard
        let ports: Set<Int>
        let proxy: ProxyAddress?
        let strings: CStrings
        init(_ addressGuard: AddressGuard, _ ports: Set<Int>, _ proxy: ProxyAddress?, _ strings: CStrings) {
            self.addressGuard = addressGuard
            self.ports = ports
            self.proxy = proxy
            self.strings = strings
        }

        func allows(_ address: IPAddress, port: Int) -> Bool {
            // With a proxy, every connection is to the proxy: the target was checked before.
            if let proxy { return address == proxy.address && port == proxy.port }
            return ports.contains(port) && addressGuard.verdict(address) == .allowed
        }
    }

    /// The name rules for one hop: a name the deny list covers, or one that can only be
    /// internal (and is not exempted by the allow list), is refused before any lookup.
    private func checkName(_ url: PreviewURL) throws(Failure) {
        guard case .name(let name) = url.host else { return }
        if hostNames.refusesByName(name) { throw .blockedAddress }
    }

    /// For a proxy: the address the tunnel goes to, resolved and checked here.
    private func pinnedAddress(_ url: PreviewURL) throws(Failure) -> IPAddress {
        let candidates: [IPAddress]
        switch url.host {
        case .address(let address): candidates = [address]
        case .name(let name): candidates = Self.resolve(name)
        }
        // A name that does not resolve is answered as one whose addresses are all refused.
        guard let allowed = candidates.first(where: { addressGuard.verdict($0) == .allowed }) else { throw .blockedAddress }
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

    private func fetchOnce(_ url: PreviewURL, _ limits: FetchRequest, on loop: FetchLoop) async throws(Failure) -> Hop {
        try checkName(url)
        if let gate {
            do {
                try await gate.enter(url.hostText, deadline: limits.deadline)
            } catch {
                throw error == .cancelled ? .cancelled : .overloaded
            }
        }
        defer { gate?.leave(url.hostText) }
        guard let remaining = limits.remainingMilliseconds else { throw .timeout }
        var connectTo: String?
        if proxy != nil {
            let address = try pinnedAddress(url)
            connectTo = "\(url.hostText):\(url.port):\(address.uriLiteral):\(url.port)"
        }
        // The check holds the strings too: libcurl copies them at the start, the check is asked until the end.
        let strings = CStrings([url.description, userAgent, limits.accept, via, proxy?.description, connectTo])
        let check = Check(addressGuard, allowedPorts, proxy, strings)
        var request = rw_fetch_request()
        request.url = strings[0]
        request.user_agent = strings[1]
        request.accept = strings[2]
        request.via = strings[3]
        request.proxy = strings[4]
        request.connect_to = strings[5]
        request.connect_timeout_ms = min(connectTimeoutMilliseconds, remaining)
        request.total_timeout_ms = remaining
        request.max_bytes = limits.maxBytes
        request.max_html_bytes = limits.maxHTMLBytes
        request.stop_after_head = limits.stopAfterHead ? 1 : 0
        request.context = Unmanaged.passUnretained(check).toOpaque()
        request.allow_address = { context, family, address, port in
            guard let context, let address else { return 0 }
            let check = Unmanaged<Check>.fromOpaque(context).takeUnretainedValue()
            let bytes = (0..<(family == AF_INET ? 4 : 16)).map { address[$0] }
            guard let ip = IPAddress(bytes: bytes) else { return 0 }
            return check.allows(ip, port: Int(port)) ? 1 : 0
        }
        let end = await loop.transfer(request, context: check)
        switch end {
        case .cancelled: throw .cancelled
        case .notStarted: throw .fetchFailed(detail: "the transfer could not start", status: nil)
        case .ended(var result):
            defer { rw_fetch_free(&result) }
            return try Self.hop(of: result)
        }
    }

    private static func hop(of result: rw_fetch_result) throws(Failure) -> Hop {
        if result.refused_address != 0 || result.unresolved != 0 { throw .blockedAddress }
        if result.too_large != 0 { throw .tooLarge(limit: Int(result.limit)) }
        if result.timed_out != 0 { throw .timeout }
        guard result.curl_code == 0, result.status > 0 else {
            throw .fetchFailed(detail: text(of: result.error), status: nil)
        }
        if result.location_too_long != 0 { throw .badURL("a redirect to a link longer than 2048 bytes") }
        let body = result.body_length > 0 && result.body != nil
            ? Array(UnsafeBufferPointer(start: result.body, count: result.body_length)) : []
        return Hop(status: result.status, contentType: text(of: result.content_type),
                   location: text(of: result.location), body: body, cacheControl: text(of: result.cache_control))
    }

    private static func text<T>(of field: T) -> String {
        withUnsafeBytes(of: field) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}

/// C copies of a few optional strings, freed together when the box goes.
fileprivate final class CStrings {
    private let pointers: [UnsafeMutablePointer<CChar>?]

    init(_ texts: [String?]) {
        pointers = texts.map { $0.flatMap { strdup($0) } }
    }

    subscript(index: Int) -> UnsafePointer<CChar>? { pointers[index].map { UnsafePointer($0) } }

    deinit {
        for pointer in pointers { free(pointer) }
    }
}
