import CProcessControl
import CSandbox
import Logging
import Scoreboard
import WorkerConfig

#if canImport(Glibc)
import Glibc
#endif

/// Where a request goes, found once from its method and path: its place on the
/// scoreboard and the work that answers it.
public struct RoutedRequest {
    public let label: Int
    public let respond: (Request) -> (Response, ServiceError?)

    public init(label: Int, respond: @escaping (Request) -> (Response, ServiceError?)) {
        self.label = label
        self.respond = respond
    }
}

/// What a kind of responder serves: images, or link previews.
public protocol Service {
    /// The scoreboard label of requests that match no route or never reach routing.
    var unroutedLabel: Int { get }
    func route(method: String, path: String) -> RoutedRequest
}

/// How a responder serves once booted: one request at a time (the image pool), or many
/// at once on an event loop (the link-preview pool). Returns the requests served.
public protocol ServingStrategy {
    func serve(configuration: WorkerConfiguration, seat: ServingLoop.Seat?, logger: Logger) -> Int
}

/// A responder's life, whatever it serves: give up privileges, start its
/// libraries, serve requests until retired or told to stop, then exit.
public enum ServingLoop {
    /// Exit status that tells the supervisor this responder could not start at all,
    /// so respawning would only loop.
    public static let bootFailureStatus: Int32 = 78

    /// Where this responder reports on the pool's scoreboard.
    public struct Seat {
        public let scoreboard: Scoreboard
        public let slot: Int

        public init(scoreboard: Scoreboard, slot: Int) {
            self.scoreboard = scoreboard
            self.slot = slot
        }

        public func accepted(now: Double) {
            scoreboard.beginRequest(slot: slot, monotonicNow: now)
        }

        public func routed(endpoint: Int) {
            scoreboard.recordEndpoint(slot: slot, endpoint: endpoint)
        }

        public func end(endpoint: Int, code: Int, seconds: Double, slow: Bool) {
            scoreboard.endRequest(slot: slot, endpoint: endpoint, code: code, seconds: seconds, slow: slow)
        }

        /// Busy since `since` (a responder with many requests in flight: its oldest's start).
        public func busy(since: Double) {
            scoreboard.markBusy(slot: slot, since: since)
        }
    }

    /// Runs until retired or stopped; returns the process exit status.
    /// - Parameters:
    ///   - profile: what the sandbox leaves this kind of responder.
    ///   - supervisorPID: the pool's supervisor, when spawned by one; the
    ///     responder stops when it dies.
    ///   - seat: the scoreboard slot, when spawned by a supervisor.
    ///   - temporaryDirectory: the pool's temp directory; this responder writes only in its own beneath it.
    ///   - start: loads the libraries the service needs (after the sandbox, before the
    ///     system-call allow-list), and gives the service.
    public static func run(profile: ResponderSandbox.Profile, configuration: WorkerConfiguration,
                           supervisorPID: Int32?, seat: Seat?, temporaryDirectory: String, logger: Logger,
                           start: () throws -> any Service) -> Int32 {
        serve(profile: profile, configuration: configuration, supervisorPID: supervisorPID, seat: seat,
              temporaryDirectory: temporaryDirectory, logger: logger) {
            OneAtATime(service: try start(), configuration: configuration)
        }
    }

    /// Runs until retired or stopped with the serving strategy `start` gives; returns the
    /// process exit status.
    public static func serve(profile: ResponderSandbox.Profile, configuration: WorkerConfiguration,
                             supervisorPID: Int32?, seat: Seat?, temporaryDirectory: String, logger: Logger,
                             start: () throws -> any ServingStrategy) -> Int32 {
        // Boot, in an order that matters: credentials first (that clears the parent-death signal),
        // the sandbox while still single-threaded, the libraries (which start threads) after it,
        // the system-call allow-list last.
        installHandlers(configuration: configuration, logger: logger)
        let ownTemporaryDirectory: String
        switch confine(profile, configuration: configuration, supervisorPID: supervisorPID,
                       temporaryDirectory: temporaryDirectory, logger: logger) {
        case .confined(let directory): ownTemporaryDirectory = directory
        case .supervisorGone: return 0
        case .failed: return bootFailureStatus
        }
        guard let strategy = startService(start, logger: logger) else { return bootFailureStatus }
        limitAddressSpace(configuration: configuration)
        guard allowOnlyServingCalls(profile, configuration: configuration, logger: logger) else { return bootFailureStatus }

        let served = strategy.serve(configuration: configuration, seat: seat, logger: logger)
        ResponderSandbox.emptyOwnTemporaryDirectory(ownTemporaryDirectory)
        logger.debug("responder exiting", metadata: ["served": "\(served)"])
        return 0
    }

    /// Boot step: stop signals blocked (in every thread a library starts, except while waiting
    /// for a connection), and the crash handler that answers a dying request with a 500.
    private static func installHandlers(configuration: WorkerConfiguration, logger: Logger) {
        _ = ps_install_stop_handler(SIGTERM)
        _ = ps_install_stop_handler(SIGINT)
        if !CrashReport.install(logFormat: configuration.logFormat) {
            logger.warning("no crash handler: a crash mid-request will answer 503, not 500")
        }
    }

    private enum Confinement {
        case confined(temporaryDirectory: String)
        case supervisorGone
        case failed
    }

    /// Boot step: another user, no tracing, bound to the supervisor's life, a temp directory
    /// of its own and the sandbox's file and network rules.
    private static func confine(_ profile: ResponderSandbox.Profile, configuration: WorkerConfiguration, supervisorPID: Int32?,
                                temporaryDirectory: String, logger: Logger) -> Confinement {
        do {
            try ResponderSandbox.dropPrivileges(configuration: configuration)
            try ResponderSandbox.forbidTracing()
            if let supervisor = supervisorPID, ps_stop_with_parent(SIGTERM, supervisor) != 0 {
                logger.warning("supervisor already gone; not serving")
                return .supervisorGone
            }
            let own = try ResponderSandbox.makeOwnTemporaryDirectory(under: temporaryDirectory)
            try ResponderSandbox.confine(profile, configuration: configuration, writableDirectory: own, logger: logger)
            return .confined(temporaryDirectory: own)
        } catch {
            logger.critical("responder cannot drop privileges", metadata: ["error": "\(error)"])
            return .failed
        }
    }

    /// Boot step: the service's libraries, started inside the sandbox.
    private static func startService(_ start: () throws -> any ServingStrategy, logger: Logger) -> (any ServingStrategy)? {
        do {
            return try start()
        } catch {
            logger.critical("responder cannot start its libraries", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Boot step: the address-space ceiling (`RW_MEMORY_LIMIT_MB`), once the libraries have mapped theirs.
    private static func limitAddressSpace(configuration: WorkerConfiguration) {
        if configuration.memoryLimitMiB > 0 {
            _ = ps_limit_address_space(UInt64(configuration.memoryLimitMiB) * 1024 * 1024)
        }
    }

    /// Boot step: from here on, only the system calls serving needs.
    private static func allowOnlyServingCalls(_ profile: ResponderSandbox.Profile, configuration: WorkerConfiguration,
                                              logger: Logger) -> Bool {
        do {
            try ResponderSandbox.allowOnlyServingCalls(profile, configuration: configuration)
            return true
        } catch {
            logger.critical("responder cannot confine its system calls", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// One request at a time: accept → read → route once → respond → account → retire.
    struct OneAtATime: ServingStrategy {
        let service: any Service
        let listener: Listener
        let connection: FastCGIConnection

        init(service: any Service, configuration: WorkerConfiguration) {
            self.service = service
            listener = Listener(allowed: ClientAllowList(configuration.allowedClients))
            connection = FastCGIConnection(maxBodyBytes: configuration.maxBodyBytes,
                                           idleTimeoutSeconds: configuration.idleTimeoutSeconds)
        }

        func serve(configuration: WorkerConfiguration, seat: Seat?, logger: Logger) -> Int {
            defer { listener.close() }
            return ServingLoop.serve(service, listener: listener, connection: connection, configuration: configuration,
                                     seat: seat, logger: logger)
        }
    }

    /// The loop: accept → read → route once → respond → account → retire. Returns the requests served.
    private static func serve(_ service: any Service, listener: Listener, connection: FastCGIConnection,
                              configuration: WorkerConfiguration, seat: Seat?, logger: Logger) -> Int {
        let retireAfter = configuration.maxRequests
            + Int.random(in: -configuration.maxRequestsJitter...configuration.maxRequestsJitter)
        let slowAfter = Double(configuration.slowRequestMilliseconds) / 1000
        var served = 0
        if let seat { seat.scoreboard.markIdle(slot: seat.slot) }
        logger.debug("responder ready", metadata: ["retire_after": "\(retireAfter)"])
        while served < retireAfter, let peer = listener.next() {
            // Busy from the accept on: the supervisor's deadline covers reading too.
            let started = monotonicSeconds()
            seat?.accepted(now: started)
            guard let (request, refusal) = readRequest(connection, from: peer, configuration: configuration) else {
                dropped(started: started, unroutedLabel: service.unroutedLabel, seat: seat, logger: logger)
                continue
            }
            let routed = service.route(method: request.method, path: request.path)
            let label = refusal == nil ? routed.label : service.unroutedLabel
            seat?.routed(endpoint: label)
            CrashReport.arm(request, connection: connection, logger: logger)
            let (response, failure) = refusal.map { (Response.error($0), $0) } ?? routed.respond(request)
            CrashReport.disarm()
            connection.finish(with: response)
            served += 1
            account(request, response, failure, label: label, started: started, slowAfter: slowAfter, seat: seat, logger: logger)
            if shouldRetire(configuration: configuration, seat: seat, logger: logger) { break }
        }
        return served
    }

    /// Step: the request on an accepted connection with its body, and the refusal it earned
    /// before routing (a body over the limit or cut short); nil when no request came.
    private static func readRequest(_ connection: FastCGIConnection, from peer: Int32,
                                    configuration: WorkerConfiguration) -> (Request, ServiceError?)? {
        switch connection.read(peer) {
        case .dropped: nil
        case .tooLarge(let incoming): (incoming, .tooLarge(limit: configuration.maxBodyBytes))
        case let .incomplete(incoming, received, declared): (incoming, .incompleteBody(received: received, declared: declared))
        case .request(let incoming): (incoming, nil)
        }
    }

    /// A connection that brought no request (silent past the idle timeout, closed early, not
    /// FastCGI) is counted as an incomplete body of no endpoint.
    private static func dropped(started: Double, unroutedLabel: Int, seat: Seat?, logger: Logger) {
        let seconds = monotonicSeconds() - started
        let refusal = ServiceError.incompleteBody(received: 0, declared: 0)
        seat?.end(endpoint: unroutedLabel, code: MetricLabels.codeIndex(refusal), seconds: seconds, slow: false)
        logger.notice("connection dropped: no request arrived before the idle timeout or the peer left",
                      metadata: ["ms": "\(Int((seconds * 1000).rounded()))"])
    }

    /// Step: the scoreboard and the log learn how the request went.
    public static func account(_ request: Request, _ response: Response, _ failure: ServiceError?, label: Int,
                                started: Double, slowAfter: Double, seat: Seat?, logger: Logger) {
        let seconds = monotonicSeconds() - started
        let slow = seconds >= slowAfter
        seat?.end(endpoint: label, code: MetricLabels.codeIndex(failure), seconds: seconds, slow: slow)
        log(request, response, failure, seconds: seconds, slow: slow, logger: logger)
    }

    /// Step: whether this responder should make way for a fresh one.
    public static func shouldRetire(configuration: WorkerConfiguration, seat: Seat?, logger: Logger) -> Bool {
        guard overMemoryThreshold(configuration: configuration, logger: logger) else { return false }
        seat?.scoreboard.countMemoryRetirement()
        return true
    }

    /// After a request that left the heap large (a leak, or a decoder's cache), the
    /// responder retires; first it returns free pages, which is usually enough.
    private static func overMemoryThreshold(configuration: WorkerConfiguration, logger: Logger) -> Bool {
        let limit = Int64(configuration.maxRSSMiB) * 1024 * 1024
        guard ps_current_rss() > limit else { return false }
        ps_release_free_memory()
        let resident = ps_current_rss()
        guard resident > limit else { return false }
        logger.notice("resident memory over the limit; retiring",
                      metadata: ["rss_mb": "\(resident / 1024 / 1024)", "limit_mb": "\(configuration.maxRSSMiB)"])
        return true
    }

    private static func log(_ request: Request, _ response: Response, _ failure: ServiceError?,
                            seconds: Double, slow: Bool, logger: Logger) {
        var metadata: Logger.Metadata = [
            "request_id": "\(request.requestID)",
            "status": "\(response.status)",
            "ms": "\(Int((seconds * 1000).rounded()))",
            "bytes_in": "\(request.body.count)",
            "bytes_out": "\(response.body.count)",
        ]
        for (name, value) in response.logFacts { metadata[name] = "\(value)" }
        if let failure {
            metadata["code"] = "\(failure.code)"
            if let detail = failure.logDetail { metadata["detail"] = "\(detail)" }
        }
        if slow {
            logger.warning("slow request: \(request.method) \(request.path)", metadata: metadata)
        } else {
            logger.log(level: failure?.logLevel ?? .info, "\(request.method) \(request.path)", metadata: metadata)
        }
    }
}
