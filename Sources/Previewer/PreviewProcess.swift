import CSandbox
import LinkPreview
import LinkSigning
import NetworkAddress
import Logging
import ResponderCore
import Scoreboard
import WorkerConfig

enum StartFailure: Error {
    case noEventLoop
}

/// One fetcher's share of the pool's caps: the settings are the pool's, and the pool is
/// `RW_PREVIEW_RESPONDERS` fetchers, so each takes its part (at least one).
struct PoolShare {
    let perHost: Int
    let inFlight: Int
    let queued: Int
    let connections: Int

    init(_ configuration: WorkerConfiguration) {
        let fetchers = max(1, configuration.previewResponders)
        func part(_ total: Int) -> Int { max(1, (total + fetchers - 1) / fetchers) }
        perHost = part(configuration.previewPerHost)
        inFlight = part(configuration.previewInFlight)
        queued = part(configuration.previewQueue)
        // Every request in flight or queued holds a connection, and nginx keeps a few idle.
        connections = inFlight + queued + 16
    }
}

/// A link-fetching responder: an event loop with libcurl and libxml2, sockets
/// for the Internet's families, and no image library in the process at all
/// (this executable does not link one). Fetched images go to the image pool.
public enum PreviewProcess {
    /// What a fetcher may read besides its own temp directory: the libraries and the CA
    /// certificates under /usr, the resolver's configuration (systemd-resolved's stub file
    /// included), the TLS trust store and OpenSSL's configuration under /etc/ssl, the loader's
    /// cache, the time zone, its own /proc entries for memory figures.
    public static let sandbox = ResponderSandbox.Profile(
        readablePaths: [
            "/usr", "/etc/ld.so.cache", "/etc/localtime", "/etc/resolv.conf", "/etc/hosts", "/etc/host.conf",
            "/etc/nsswitch.conf", "/etc/gai.conf", "/etc/ssl", "/etc/ca-certificates", "/run/systemd/resolve",
            "/proc/self", "/proc/sys/vm/overcommit_memory", "/dev/null", "/dev/urandom",
        ],
        network: true, role: PS_ROLE_FETCHER)

    /// Runs until retired or stopped; returns the process exit status.
    public static func run(configuration settings: WorkerConfiguration, supervisorPID: Int32?, seat: ServingLoop.Seat?,
                           temporaryDirectory: String, logger: Logger) -> Int32 {
        var configuration = settings
        configuration.user = settings.previewUser
        // The forum's own names and addresses are refused as the deny list's are.
        let denied = AddressRules(ranges: configuration.previewDeny.ranges + configuration.previewSelf.ranges,
                                  names: configuration.previewDeny.names + configuration.previewSelf.names)
        let policy = PreviewPolicy(allow: configuration.previewAllow, deny: denied)
        return ServingLoop.serve(profile: sandbox, configuration: configuration, supervisorPID: supervisorPID, seat: seat,
                                 temporaryDirectory: temporaryDirectory, logger: logger) {
            Fetcher.prepare()
            guard let loop = FetchLoop() else { throw StartFailure.noEventLoop }
            let share = PoolShare(configuration)
            let gate = FetchGate(perHost: share.perHost, total: share.inFlight, maxQueued: share.queued, loop: loop)
            let previewer = LinkPreviewer(settings: configuration, policy: policy, loop: loop, gate: gate)
            let access = PreviewAccess(signer: LinkSignature(keys: SigningKeys.keys(configuration.signingKeys) ?? []),
                                       secret: configuration.sharedSecret)
            let context = PreviewContext(previewer: previewer, logger: logger, scoreboard: seat?.scoreboard, access: access)
            let service = RoutedService(table: PreviewRoutes.table, context: context, secret: configuration.sharedSecret)
            return PreviewServer(service: service, loop: loop, configuration: configuration,
                                 maxConnections: share.connections)
        }
    }
}
