import CSandbox
import LinkPreview
import Logging
import ResponderCore
import Scoreboard
import WorkerConfig

/// A link-fetching responder: the serving loop with libcurl and libxml2, sockets
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
        let policy = PreviewPolicy(allow: configuration.previewAllow, deny: configuration.previewDeny)
        return ServingLoop.run(profile: sandbox, configuration: configuration, supervisorPID: supervisorPID, seat: seat,
                               temporaryDirectory: temporaryDirectory, logger: logger) {
            Fetcher.prepare()
            let context = PreviewContext(previewer: LinkPreviewer(settings: configuration, policy: policy), logger: logger,
                                         scoreboard: seat?.scoreboard)
            return RoutedService(table: PreviewRoutes.table, context: context, secret: configuration.sharedSecret)
        }
    }
}
