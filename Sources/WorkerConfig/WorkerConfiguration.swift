import NetworkAddress

/// Every setting of the worker, loaded once: defaults in code, then the
/// environment, then command-line flags (a flag wins).
///
/// Each field is read from the text of one `Setting` (`Setting.all`), once, into its
/// type; the README's configuration table lists the same settings.
public struct WorkerConfiguration: Sendable, Equatable {
    /// Where the pool listens for FastCGI: a Unix socket path, or `host:port`.
    /// `RW_LISTEN`, `--listen`, default `127.0.0.1:9000`.
    public var listen: ListenAddress = .tcp(host: "127.0.0.1", port: 9000)
    /// Permissions of a Unix listening socket, in octal. `RW_SOCKET_MODE`, `--socket-mode`, default 0660.
    public var socketMode: Int = 0o660
    /// Addresses allowed to connect when listening on TCP, comma-separated IPv4, checked on
    /// every connection (any other peer, IPv6 too, is refused); empty allows any.
    /// `RW_ALLOWED_CLIENTS`, `--allowed-clients`, default empty.
    public var allowedClients: [IPAddress] = []
    /// Listen backlog; small, so an overloaded pool refuses instead of queueing for minutes.
    /// `RW_BACKLOG`, `--backlog`, default 16.
    public var backlog: Int = 16
    /// Responder processes kept running. `RW_RESPONDERS`, `--responders`, default: number of cores (at most 256).
    public var responders: Int = min(256, WorkerConfiguration.coreCount)
    /// Requests a responder serves before it is replaced. `RW_MAX_REQUESTS`, `--max-requests`, default 500.
    public var maxRequests: Int = 500
    /// Random spread around `maxRequests`, so responders do not all retire at once.
    /// `RW_MAX_REQUESTS_JITTER`, `--max-requests-jitter`, default 50.
    public var maxRequestsJitter: Int = 50
    /// Largest request body accepted, in bytes. `RW_MAX_BODY_BYTES`, `--max-body-bytes`, default 20 MiB.
    public var maxBodyBytes: Int = 20 * 1024 * 1024
    /// Largest width×height of one frame. `RW_MAX_PIXELS`, `--max-pixels`, default 50 000 000.
    public var maxPixels: Int = 50_000_000
    /// Most frames in an animation. `RW_MAX_FRAMES`, `--max-frames`, default 500.
    public var maxFrames: Int = 500
    /// Largest frames×width×height. `RW_MAX_TOTAL_PIXELS`, `--max-total-pixels`, default 200 000 000.
    public var maxTotalPixels: Int = 200_000_000
    /// Most scans in a progressive JPEG (each costs a decoding pass). `RW_MAX_JPEG_SCANS`,
    /// `--max-jpeg-scans`, default 100.
    public var maxJPEGScans: Int = 100
    /// Largest output of one request, checked as animations are written. `RW_MAX_OUTPUT_BYTES`,
    /// `--max-output-bytes`, default 67 108 864 (64 MiB).
    public var maxOutputBytes: Int = 64 * 1024 * 1024
    /// Largest `box` accepted by `/images/fit/{box}`. `RW_MAX_BOX`, `--max-box`, default 4096.
    public var maxBox: Int = 4096
    /// Seconds one request may take before it is abandoned. `RW_TIME_LIMIT`, `--time-limit`, default 30.
    public var timeLimitSeconds: Int = 30
    /// Seconds a connection may send nothing while its request is read; then it is dropped.
    /// nginx sends a buffered body at once, so only a stalled or hostile peer waits this long.
    /// `RW_IDLE_TIMEOUT`, `--idle-timeout`, default 10.
    public var idleTimeoutSeconds: Int = 10
    /// Seconds a stopping pool waits for requests in hand. `RW_GRACEFUL_TIMEOUT`, `--graceful-timeout`, default 30.
    public var gracefulTimeoutSeconds: Int = 30
    /// Address-space ceiling per responder in MiB, 0 for none: an allocation past it fails
    /// and ends that responder's request. A busy responder maps about 650 MiB after a
    /// 500-frame animated avatar. `RW_MEMORY_LIMIT_MB`, `--memory-limit-mb`, default 1536.
    public var memoryLimitMiB: Int = 1536
    /// A responder whose resident memory stays above this after a request (and after
    /// returning free heap to the kernel) is replaced. `RW_MAX_RSS_MB`, `--max-rss-mb`, default 512.
    public var maxRSSMiB: Int = 512
    /// User the responders run as when the pool starts as root. `RW_USER`, `--user`, default nobody.
    public var user: String = "nobody"
    /// `on`: responders cannot open sockets and write only in their private temp directory
    /// (seccomp, Landlock); `off` for debugging only. `RW_SANDBOX`, `--sandbox`, default on.
    public var sandbox: SandboxMode = .on
    /// Requests slower than this are counted and logged with their input. `RW_SLOW_REQUEST_MS`,
    /// `--slow-request-ms`, default 5000.
    public var slowRequestMilliseconds: Int = 5000
    /// libvips worker threads per responder. `RW_VIPS_CONCURRENCY`, `--vips-concurrency`, default 1.
    public var vipsConcurrency: Int = 1
    /// When set, every request must carry it in `X-Remote-Worker-Secret` or gets a JSON 401.
    /// `RW_SHARED_SECRET`, `--shared-secret`, default empty (no check).
    public var sharedSecret: String = ""
    /// Log level: trace, debug, info, notice, warning, error, critical. `RW_LOG_LEVEL`, `--log-level`, default info.
    public var logLevel: LogLevel = .info
    /// `text` or `json` (one object per line). `RW_LOG_FORMAT`, `--log-format`, default text.
    public var logFormat: LogFormat = .text
    /// Identity reported by `/hello`. `UID`, `--uid`, default empty.
    public var uid: String = ""
    /// Country reported by `/hello`. `COUNTRY`, `--country`, default empty.
    public var country: String = ""
    /// Region reported by `/hello`. `REGION`, `--region`, default empty.
    public var region: String = ""

    /// Where the link-preview pool (`serve --previews`) listens for FastCGI.
    /// `RW_PREVIEW_LISTEN`, default `127.0.0.1:9001`.
    public var previewListen: ListenAddress = .tcp(host: "127.0.0.1", port: 9001)
    /// Fetching responders kept by the link-preview pool; a fetch mostly waits on the
    /// network. `RW_PREVIEW_RESPONDERS`, default 4.
    public var previewResponders: Int = 4
    /// User the fetching responders run as when the pool may switch users: one of their own,
    /// able to connect to the image pool's socket. `RW_PREVIEW_USER`, default nobody.
    public var previewUser: String = "nobody"
    /// The image pool's FastCGI address (socket path or IPv4:port), where preview images are sent to be fitted
    /// (fetchers never decode). `RW_PREVIEW_IMAGES`, default `127.0.0.1:9000`.
    public var previewImages: ListenAddress = .tcp(host: "127.0.0.1", port: 9000)
    /// Addresses and host names previews may reach although the built-in rules refuse
    /// them (CIDR ranges and names, comma-separated; a name covers its subdomains).
    /// `RW_PREVIEW_ALLOW`, default empty.
    public var previewAllow: AddressRules = .none
    /// Addresses and host names previews never reach, added to the built-in rules.
    /// `RW_PREVIEW_DENY`, default empty.
    public var previewDeny: AddressRules = .none
    /// The forum's own public names and addresses, denied like internal ones. `RW_PREVIEW_SELF`, default empty.
    public var previewSelf: AddressRules = .none
    /// The preview pool's listen backlog. `RW_PREVIEW_BACKLOG`, default 1024.
    public var previewBacklog: Int = 1024
    /// Fetches in flight to one host, pool-wide. `RW_PREVIEW_PER_HOST`, default 4.
    public var previewPerHost: Int = 4
    /// Fetches in flight in all, pool-wide. `RW_PREVIEW_IN_FLIGHT`, default 1024.
    public var previewInFlight: Int = 1024
    /// Fetches waiting for a turn, pool-wide. `RW_PREVIEW_QUEUE`, default 2048.
    public var previewQueue: Int = 2048
    /// Keys for signed links, comma-separated; the first signs. `RW_SIGNING_KEYS`, default empty (no signature asked).
    public var signingKeys: String = ""
    /// Ports a previewed link may name, comma-separated. `RW_PREVIEW_PORTS`, default `80,443`.
    public var previewPorts: PortSet = PortSet("80,443")!
    /// Most bytes of a page read, counted after decompression. `RW_PREVIEW_MAX_BYTES`, default 1 MiB.
    public var previewMaxBytes: Int = 1024 * 1024
    /// Most bytes of a preview image read. `RW_PREVIEW_IMAGE_MAX_BYTES`, default 8 MiB.
    public var previewImageMaxBytes: Int = 8 * 1024 * 1024
    /// Milliseconds to set up one connection. `RW_PREVIEW_CONNECT_TIMEOUT_MS`, default 3000.
    public var previewConnectTimeoutMilliseconds: Int = 3000
    /// Milliseconds a whole preview may spend fetching (page, oEmbed, image).
    /// `RW_PREVIEW_TIMEOUT_MS`, default 10000.
    public var previewTimeoutMilliseconds: Int = 10_000
    /// The User-Agent previews are fetched with: name the forum's bot and where to read about it.
    /// `RW_PREVIEW_USER_AGENT`.
    public var previewUserAgent: String = "Mozilla/5.0 (compatible; ForumLinkPreview/1.0; +https://example.org/link-previews)"
    /// An HTTP proxy for all fetches, `http://host:port`; the worker still resolves and checks
    /// each address and has the proxy tunnel to that address. `RW_PREVIEW_PROXY`, default empty.
    public var previewProxy: ProxyAddress?
    /// The box a preview image is fitted in. `RW_PREVIEW_IMAGE_BOX`, default 600.
    public var previewImageBox: Int = 600

    public init() {}

    public var sandboxEnabled: Bool { sandbox == .on }

    public static var coreCount: Int {
        max(1, sysconfCores())
    }
}

/// `RW_SANDBOX`.
public enum SandboxMode: String, CaseIterable, Sendable {
    case on, off
}

/// `RW_LOG_LEVEL`: swift-log's levels by name.
public enum LogLevel: String, CaseIterable, Sendable {
    case trace, debug, info, notice, warning, error, critical
}

/// `RW_LOG_FORMAT`: `text`, or `json` (one object per line).
public enum LogFormat: String, CaseIterable, Sendable {
    case text, json
}
