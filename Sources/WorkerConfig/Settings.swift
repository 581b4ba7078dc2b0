import NetworkAddress

extension Setting {
    /// Every setting of the worker, in the README's order.
    public static var all: [Setting] { [
        .typed("RW_LISTEN", .images, \.listen, "FastCGI socket: a Unix socket path or `host:port` (ignored when systemd passes a socket)",
               expected: "a socket path or host:port", parse: ListenAddress.init, write: \.description),
        .typed("RW_ALLOWED_CLIENTS", .both, \.allowedClients, "IPv4 addresses allowed to connect over TCP, comma-separated",
               expected: "IPv4 addresses separated by commas", parse: ipv4List, write: { $0.map(\.description).joined(separator: ",") }),
        .typed("RW_SOCKET_MODE", .both, \.socketMode, "permissions of a Unix socket", expected: "octal permissions such as 0660",
               parse: { text in Int(text.trimmingSpaces(), radix: 8).flatMap { (0...0o777).contains($0) ? $0 : nil } },
               write: { "0" + String($0, radix: 8) }),
        .number("RW_BACKLOG", .both, \.backlog, 1...65535, "listen backlog (small: a full pool refuses fast)"),
        .number("RW_RESPONDERS", .images, \.responders, 1...256, "responder processes"),
        .number("RW_MAX_REQUESTS", .both, \.maxRequests, 1...Int(Int32.max), "requests before a responder is replaced"),
        .number("RW_MAX_REQUESTS_JITTER", .both, \.maxRequestsJitter, 0...Int(Int32.max), "random spread around the above"),
        .number("RW_MAX_BODY_BYTES", .both, \.maxBodyBytes, 1024...(1 << 40),
                "largest body (nginx's `client_max_body_size` is rendered from it)"),
        .number("RW_MAX_PIXELS", .images, \.maxPixels, 1...Int(Int32.max), "largest width×height of one frame"),
        .number("RW_MAX_FRAMES", .images, \.maxFrames, 1...100_000, "most frames"),
        .number("RW_MAX_TOTAL_PIXELS", .images, \.maxTotalPixels, 1...(1 << 40), "largest frames×width×height"),
        .number("RW_MAX_JPEG_SCANS", .images, \.maxJPEGScans, 1...100_000, "most scans in a progressive JPEG"),
        .number("RW_MAX_OUTPUT_BYTES", .images, \.maxOutputBytes, 1024...(1 << 40),
                "largest output of one request, checked after each animation frame is written (422 `output_too_large`)"),
        .number("RW_MAX_BOX", .images, \.maxBox, 1...65535, "largest `box` of `/images/fit/{box}`"),
        .number("RW_TIME_LIMIT", .both, \.timeLimitSeconds, 1...3600,
                "seconds per request; the supervisor kills a responder still busy 2 s later and replaces it (nginx's `fastcgi_read_timeout` is rendered from it)"),
        .number("RW_IDLE_TIMEOUT", .both, \.idleTimeoutSeconds, 1...3600,
                "seconds a connection may send nothing while its request is read; then it is dropped (a responder is busy, and under the deadline, from the moment it accepts)"),
        .number("RW_GRACEFUL_TIMEOUT", .both, \.gracefulTimeoutSeconds, 0...3600, "seconds a stopping pool waits for requests in hand"),
        .number("RW_MEMORY_LIMIT_MB", .both, \.memoryLimitMiB, 0...(1 << 24), "address-space ceiling per responder (0: none)",
                expected: "0 (no limit) or at least 64"),
        .number("RW_MAX_RSS_MB", .both, \.maxRSSMiB, 64...(1 << 24), "a responder resident above this after a request is replaced"),
        .text("RW_USER", .images, \.user,
              "user the responders become when the pool starts as root or holds `CAP_SETUID` and `CAP_SETGID` (the unit sets `remote-worker-responder`)",
              expected: "a user name", valid: isUserName),
        .choice("RW_SANDBOX", .both, \.sandbox, "`off` lets responders open sockets and write files (debugging only)"),
        .number("RW_SLOW_REQUEST_MS", .both, \.slowRequestMilliseconds, 1...(1 << 30), "requests slower than this are counted and logged as slow"),
        .number("RW_VIPS_CONCURRENCY", .images, \.vipsConcurrency, 1...64, "libvips threads per responder"),
        .text("RW_SHARED_SECRET", .both, \.sharedSecret, "requests must send it in `X-Remote-Worker-Secret`, else JSON 401"),
        .choice("RW_LOG_LEVEL", .both, \.logLevel, "trace … critical"),
        .choice("RW_LOG_FORMAT", .both, \.logFormat, "`json`: one object per line with `request_id`, status, ms, input type and size"),
        .typed("RW_PREVIEW_LISTEN", .previews, \.previewListen, "the link-preview pool's FastCGI socket (`serve --previews`)",
               expected: "a socket path or host:port", parse: ListenAddress.init, write: \.description),
        .number("RW_PREVIEW_RESPONDERS", .previews, \.previewResponders, 1...256, "fetching responders (a fetch mostly waits on the network)"),
        .text("RW_PREVIEW_USER", .previews, \.previewUser,
              "user the fetchers become (the unit sets `remote-worker-fetcher`, whose group reaches the image pool's socket)",
              expected: "a user name", valid: isUserName),
        .typed("RW_PREVIEW_IMAGES", .previews, \.previewImages,
               "the image pool's FastCGI address (socket path or IPv4:port), where preview images are fitted",
               expected: "a socket path or IPv4:port (a name is never looked up)", parse: imagePoolAddress, write: \.description),
        .typed("RW_PREVIEW_ALLOW", .previews, \.previewAllow,
               "CIDR ranges previews may reach although the built-in rules refuse them, and host names exempt from the name "
                   + "rules (a name its exact host, `*.name` the names under it; what they resolve to is still judged)",
               expected: "CIDR ranges and host names separated by commas", parse: AddressRules.init, write: \.description),
        .typed("RW_PREVIEW_DENY", .previews, \.previewDeny,
               "CIDR ranges and host names (each with its subdomains) previews never reach; wins over the allow list",
               expected: "CIDR ranges and host names separated by commas", parse: AddressRules.init, write: \.description),
        .typed("RW_PREVIEW_SELF", .previews, \.previewSelf,
               "the forum's own public host names and addresses (and the worker's): denied like internal ones, so a page cannot make the worker fetch the forum or itself",
               expected: "CIDR ranges and host names separated by commas", parse: AddressRules.init, write: \.description),
        .number("RW_PREVIEW_BACKLOG", .previews, \.previewBacklog, 1...65535,
                "the preview pool's listen backlog (large: each preview in flight may open a connection at once)"),
        .number("RW_PREVIEW_PER_HOST", .previews, \.previewPerHost, 1...100_000,
                "fetches in flight to one host, for the whole pool (each fetcher takes its share)"),
        .number("RW_PREVIEW_IN_FLIGHT", .previews, \.previewInFlight, 1...100_000, "fetches in flight in all, for the whole pool"),
        .number("RW_PREVIEW_QUEUE", .previews, \.previewQueue, 0...100_000,
                "fetches waiting for their turn, for the whole pool; beyond it 503 `overloaded` with `Retry-After`"),
        .text("RW_SIGNING_KEYS", .previews, \.signingKeys,
              "keys (comma-separated; the first signs, all verify) for links the forum signs: with one set, a preview without the shared secret needs `sig`",
              expected: "empty, or keys of 16 to 256 printable ASCII characters without commas or spaces, separated by commas",
              valid: SigningKeys.valid),
        .typed("RW_PREVIEW_PORTS", .previews, \.previewPorts, "ports a previewed link (or redirect) may name: numbers and ranges such as `80,443,8000-8100`",
               expected: "ports (1 to 65535) and ranges such as 8000-8100, separated by commas", parse: PortSet.init, write: \.description),
        .number("RW_PREVIEW_MAX_BYTES", .previews, \.previewMaxBytes, 1024...(64 << 20), "most bytes of HTML, after decompression (413 `too_large`)"),
        .number("RW_PREVIEW_IMAGE_MAX_BYTES", .previews, \.previewImageMaxBytes, 1024...(256 << 20),
                "most bytes of a linked image (and never more than `RW_MAX_BODY_BYTES` − 1 KiB)"),
        .number("RW_PREVIEW_CONNECT_TIMEOUT_MS", .previews, \.previewConnectTimeoutMilliseconds, 100...60_000, "to set up one connection"),
        .number("RW_PREVIEW_TIMEOUT_MS", .previews, \.previewTimeoutMilliseconds, 100...600_000,
                "a whole preview's fetching (page, oEmbed, image); at most `RW_TIME_LIMIT` − 1 s (504 `fetch_timeout`)"),
        .text("RW_PREVIEW_USER_AGENT", .previews, \.previewUserAgent, "name the forum's bot and where to read about it",
              expected: "1 to 300 printable ASCII characters",
              valid: { !$0.isEmpty && $0.count <= 300 && $0.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F } }),
        .typed("RW_PREVIEW_PROXY", .previews, \.previewProxy,
               "`http://IP:port` (a name is refused: it would be resolved unchecked): every fetch tunnels through it, to an address the worker checked; a pool given anything else does not start",
               expected: "empty or http://IP:port (a proxy named by a name would be resolved unchecked)",
               parse: { text -> ProxyAddress?? in text.isEmpty ? .some(nil) : ProxyAddress(text).map { .some($0) } },
               write: { $0?.description ?? "" }),
        .number("RW_PREVIEW_IMAGE_BOX", .previews, \.previewImageBox, 16...65535, "the box preview images are fitted in (at most `RW_MAX_BOX`)"),
        .text("UID", .images, \.uid, "`/hello` identity"),
        .text("COUNTRY", .images, \.country, "`/hello` country"),
        .text("REGION", .images, \.region, "`/hello` region"),
    ] }

    /// The setting of an environment variable.
    public static func named(_ key: String) -> Setting? { all.first { $0.key == key } }
}

/// Comma-separated IPv4 addresses, each read by the project's one address reader; empty for none.
private func ipv4List(_ text: String) -> [IPAddress]? {
    var addresses: [IPAddress] = []
    for part in text.split(separator: ",") {
        guard let address = IPAddress(String(part.trimmingSpaces())), case .v4 = address else { return nil }
        addresses.append(address)
    }
    return addresses
}

/// The fetchers' client connects to a socket path or an IPv4 address; a name is never looked up.
private func imagePoolAddress(_ text: String) -> ListenAddress? {
    switch ListenAddress(text) {
    case .unix(let path): .unix(path: path)
    case .tcp(let host, let port):
        if let address = IPAddress(host), case .v4 = address { .tcp(host: host, port: port) } else { nil }
    case nil: nil
    }
}

/// A POSIX-ish user name: letters, digits, `_`, `-`, `.`, not starting with `-`.
private func isUserName(_ text: String) -> Bool {
    !text.isEmpty && text.count <= 32 && text.first != "-"
        && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_-.".contains($0)) }
}
