import CProcessShim
import ImageKit
import Logging
import WorkerConfig

#if canImport(Glibc)
import Glibc
#endif

/// A responder's life: start the image libraries, serve requests one at a
/// time until retired or told to stop, then exit.
public enum ResponderProcess {
    /// Exit status that tells the supervisor this responder could not start at all,
    /// so respawning would only loop.
    public static let bootFailureStatus: Int32 = 78

    /// Runs until retired or stopped; returns the process exit status.
    /// - Parameter supervisorPID: the pool's supervisor, when spawned by one; the
    ///   responder stops when it dies.
    public static func run(configuration: WorkerConfiguration, poolStartedAt: Double, supervisorPID: Int32?,
                           logger: Logger) -> Int32 {
        _ = ps_install_stop_handler(SIGTERM)
        _ = ps_install_stop_handler(SIGINT)
        if let supervisor = supervisorPID, ps_stop_with_parent(SIGTERM, supervisor) != 0 {
            logger.warning("supervisor already gone; not serving")
            return 0
        }
        let processor: ImageProcessor
        do {
            try VipsRuntime.start(concurrency: configuration.vipsConcurrency)
            processor = try ImageProcessor(limits: ImageLimits(
                maxPixels: configuration.maxPixels, maxFrames: configuration.maxFrames,
                maxTotalPixels: configuration.maxTotalPixels))
        } catch {
            logger.critical("responder cannot start the image libraries", metadata: ["error": "\(error)"])
            return bootFailureStatus
        }
        if configuration.memoryLimitMiB > 0 {
            _ = ps_limit_address_space(UInt64(configuration.memoryLimitMiB) * 1024 * 1024)
        }
        let context = EndpointContext(
            configuration: configuration, poolStartedAt: poolStartedAt, clock: unixTime,
            makeProcessor: { processor })
        let router = Router(context: context)
        let connection = FastCGIConnection(maxBodyBytes: configuration.maxBodyBytes)
        let retireAfter = configuration.maxRequests
            + Int.random(in: -configuration.maxRequestsJitter...configuration.maxRequestsJitter)

        var served = 0
        logger.debug("responder ready", metadata: ["retire_after": "\(retireAfter)"])
        while served < retireAfter && ps_stop_requested() == 0 {
            let accepted = connection.accept()
            let started = unixTime()
            // The kernel ends a request libvips never returns from; the supervisor replaces us.
            alarm(UInt32(configuration.timeLimitSeconds + 2))
            let request: Request
            let response: Response
            let failure: ServiceError?
            switch accepted {
            case .closed:
                alarm(0)
                served = retireAfter
                continue
            case .tooLarge(let incoming):
                request = incoming
                failure = .tooLarge(limit: configuration.maxBodyBytes)
                response = .error(failure!)
            case .request(let incoming):
                request = incoming
                (response, failure) = router.handle(incoming)
            }
            connection.finish(with: response)
            alarm(0)
            served += 1
            log(request, response, failure, milliseconds: (unixTime() - started) * 1000, logger: logger)
        }
        logger.debug("responder exiting", metadata: ["served": "\(served)"])
        return 0
    }

    private static func log(_ request: Request, _ response: Response, _ failure: ServiceError?,
                            milliseconds: Double, logger: Logger) {
        var metadata: Logger.Metadata = [
            "request_id": "\(request.requestID)",
            "status": "\(response.status)",
            "ms": "\(Int(milliseconds.rounded()))",
            "bytes_in": "\(request.body.count)",
        ]
        if let failure {
            metadata["code"] = "\(failure.code)"
            if let detail = failure.logDetail { metadata["detail"] = "\(detail)" }
        }
        logger.log(level: failure?.logLevel ?? .info, "\(request.method) \(request.path)", metadata: metadata)
    }
}

/// Seconds since the Unix epoch, with microseconds.
public func unixTime() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
