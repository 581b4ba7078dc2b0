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
        let policy: PreviewPolicy
        do {
            policy = try PreviewPolicy(allow: configuration.previewAllow, deny: configuration.previewDeny)
        } catch {
            logger.critical("bad RW_PREVIEW_ALLOW or RW_PREVIEW_DENY", metadata: ["error": "\(error)"])
            return ServingLoop.bootFailureStatus
        }
        return ServingLoop.run(profile: sandbox, configuration: configuration, supervisorPID: supervisorPID, seat: seat,
                               temporaryDirectory: temporaryDirectory, logger: logger) {
            Fetcher.prepare()
            return PreviewService(
                endpoint: PreviewEndpoint(previewer: LinkPreviewer(settings: configuration, policy: policy), logger: logger),
                secret: configuration.sharedSecret)
        }
    }
}

/// The routes of the link-preview pool: one endpoint.
struct PreviewService: Service {
    let endpoint: PreviewEndpoint
    let secret: String

    /// Scoreboard labels: the endpoint, then requests no route took.
    static let labels = ["preview", "unrouted"]
    var unroutedLabel: Int { 1 }

    func route(method: String, path: String) -> RoutedRequest {
        guard path == "/links/preview" else {
            return RoutedRequest(label: unroutedLabel) { _ in (.error(.notFound), .notFound) }
        }
        guard ["GET", "POST"].contains(method) else {
            let refusal = ServiceError.methodNotAllowed(allowed: ["GET", "POST"])
            return RoutedRequest(label: unroutedLabel) { _ in (.error(refusal), refusal) }
        }
        return RoutedRequest(label: 0) { request in
            do throws(ServiceError) {
                guard SharedSecret.admits(request, secret: secret) else { throw .unauthorized }
                return (try endpoint.respond(to: request), nil)
            } catch {
                return (.error(error), error)
            }
        }
    }
}
