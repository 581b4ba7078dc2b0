import ArgumentParser
import ResponderCore
import WorkerConfig

/// Command-line flags for every setting (`Setting.all`); each overrides its environment variable.
struct ConfigurationFlags: ParsableArguments {
    @Option(help: "FastCGI socket: a Unix socket path or host:port (RW_LISTEN).") var listen: String?
    @Option(help: "Unix socket permissions, octal (RW_SOCKET_MODE).") var socketMode: String?
    @Option(help: "IPv4 addresses allowed to connect over TCP, comma-separated (RW_ALLOWED_CLIENTS).") var allowedClients: String?
    @Option(help: "Listen backlog (RW_BACKLOG).") var backlog: String?
    @Option(help: "Responder processes; default: number of cores (RW_RESPONDERS).") var responders: String?
    @Option(help: "Requests per responder before it is replaced (RW_MAX_REQUESTS).") var maxRequests: String?
    @Option(help: "Random spread around --max-requests (RW_MAX_REQUESTS_JITTER).") var maxRequestsJitter: String?
    @Option(help: "Largest request body in bytes (RW_MAX_BODY_BYTES).") var maxBodyBytes: String?
    @Option(help: "Largest width×height per frame (RW_MAX_PIXELS).") var maxPixels: String?
    @Option(help: "Most frames in an animation (RW_MAX_FRAMES).") var maxFrames: String?
    @Option(help: "Largest frames×width×height (RW_MAX_TOTAL_PIXELS).") var maxTotalPixels: String?
    @Option(help: "Most scans in a progressive JPEG (RW_MAX_JPEG_SCANS).") var maxJpegScans: String?
    @Option(help: "Largest output of one request in bytes, checked as animations are written (RW_MAX_OUTPUT_BYTES).") var maxOutputBytes: String?
    @Option(help: "Largest box for /images/fit/{box} (RW_MAX_BOX).") var maxBox: String?
    @Option(help: "Seconds a request may take (RW_TIME_LIMIT).") var timeLimit: String?
    @Option(help: "Seconds a connection may send nothing while its request is read (RW_IDLE_TIMEOUT).") var idleTimeout: String?
    @Option(help: "Seconds a stopping pool waits for requests in hand (RW_GRACEFUL_TIMEOUT).") var gracefulTimeout: String?
    @Option(help: "Address-space ceiling per responder in MiB, 0 for none (RW_MEMORY_LIMIT_MB).") var memoryLimitMb: String?
    @Option(help: "Replace a responder left above this resident MiB after a request (RW_MAX_RSS_MB).") var maxRssMb: String?
    @Option(help: "User responders run as when started as root (RW_USER).") var user: String?
    @Option(help: "on or off: no sockets, writes only in the private temp directory (RW_SANDBOX).") var sandbox: String?
    @Option(help: "Count and log requests slower than this, in ms (RW_SLOW_REQUEST_MS).") var slowRequestMs: String?
    @Option(help: "libvips threads per responder (RW_VIPS_CONCURRENCY).") var vipsConcurrency: String?
    @Option(help: "Requests must send this in X-Remote-Worker-Secret (RW_SHARED_SECRET).") var sharedSecret: String?
    @Option(help: "trace, debug, info, notice, warning, error or critical (RW_LOG_LEVEL).") var logLevel: String?
    @Option(help: "text or json, one object per line (RW_LOG_FORMAT).") var logFormat: String?
    @Option(help: "The link-preview pool's FastCGI socket (RW_PREVIEW_LISTEN).") var previewListen: String?
    @Option(help: "Fetching responders of the link-preview pool (RW_PREVIEW_RESPONDERS).") var previewResponders: String?
    @Option(help: "User the fetching responders become (RW_PREVIEW_USER).") var previewUser: String?
    @Option(help: "The image pool's FastCGI address, for preview images (RW_PREVIEW_IMAGES).") var previewImages: String?
    @Option(help: "Ranges and host names previews may reach although internal (RW_PREVIEW_ALLOW).") var previewAllow: String?
    @Option(help: "Ranges and host names previews never reach (RW_PREVIEW_DENY).") var previewDeny: String?
    @Option(help: "The forum's own names and addresses, never fetched (RW_PREVIEW_SELF).") var previewSelf: String?
    @Option(help: "The preview pool's listen backlog (RW_PREVIEW_BACKLOG).") var previewBacklog: String?
    @Option(help: "Fetches in flight to one host, pool-wide (RW_PREVIEW_PER_HOST).") var previewPerHost: String?
    @Option(help: "Fetches in flight in all, pool-wide (RW_PREVIEW_IN_FLIGHT).") var previewInFlight: String?
    @Option(help: "Fetches waiting for a turn, pool-wide (RW_PREVIEW_QUEUE).") var previewQueue: String?
    @Option(help: "Keys for signed links, the first signs (RW_SIGNING_KEYS).") var signingKeys: String?
    @Option(help: "Ports a previewed link may name (RW_PREVIEW_PORTS).") var previewPorts: String?
    @Option(help: "Most bytes of a page, after decompression (RW_PREVIEW_MAX_BYTES).") var previewMaxBytes: String?
    @Option(help: "Most bytes of a preview image (RW_PREVIEW_IMAGE_MAX_BYTES).") var previewImageMaxBytes: String?
    @Option(help: "Milliseconds to connect (RW_PREVIEW_CONNECT_TIMEOUT_MS).") var previewConnectTimeoutMs: String?
    @Option(help: "Milliseconds a whole preview may spend fetching (RW_PREVIEW_TIMEOUT_MS).") var previewTimeoutMs: String?
    @Option(help: "User-Agent of the preview fetches (RW_PREVIEW_USER_AGENT).") var previewUserAgent: String?
    @Option(help: "HTTP proxy (http://IP:port) the fetches tunnel through (RW_PREVIEW_PROXY).") var previewProxy: String?
    @Option(help: "Box preview images are fitted in (RW_PREVIEW_IMAGE_BOX).") var previewImageBox: String?
    @Option(help: "Worker identity for /hello (UID).") var uid: String?
    @Option(help: "Country for /hello (COUNTRY).") var country: String?
    @Option(help: "Region for /hello (REGION).") var region: String?

    /// The flags given, keyed by the environment variable they override: each option's flag
    /// (`maxJpegScans` is `--max-jpeg-scans`) names its setting, so there is no second list
    /// to keep; a test checks that the options are exactly the settings.
    var overrides: [String: String] {
        let keys = Dictionary(uniqueKeysWithValues: Setting.all.map { ($0.flag, $0.key) })
        var result: [String: String] = [:]
        for child in Mirror(reflecting: self).children {
            guard let label = child.label, let option = child.value as? Option<String?>, let value = option.wrappedValue,
                  let key = keys[Self.flag(ofProperty: label)] else { continue }
            result[key] = value
        }
        return result
    }

    /// ArgumentParser's flag for a property: `_maxJpegScans` (the wrapper's storage) is `--max-jpeg-scans`.
    static func flag(ofProperty label: String) -> String {
        var flag = "-"
        for character in label.drop(while: { $0 == "_" }) {
            if character.isUppercase { flag += "-" + character.lowercased() } else { flag.append(character) }
        }
        return "-" + flag
    }

    /// Defaults, then the environment, then these flags; every problem reported at once.
    func load() throws -> WorkerConfiguration {
        do {
            return try WorkerConfiguration.load(environment: currentEnvironment(), overrides: overrides)
        } catch {
            throw ValidationError("invalid configuration: \(error.description)")
        }
    }
}
