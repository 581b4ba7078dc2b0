import ResponderCore
import ImageKit
import Scoreboard
import WorkerConfig

/// One endpoint: answers a request that the route table sent to it.
protocol Endpoint: Sendable {
    func respond(to request: Request, in context: EndpointContext) throws(ServiceError) -> Response
}

/// What endpoints may use: configuration, the image facade and the clock.
final class EndpointContext {
    let configuration: WorkerConfiguration
    /// Supplied by the responder, which starts the image libraries when it boots.
    private let makeProcessor: () throws(ImageError) -> ImageProcessor
    private var cachedProcessor: ImageProcessor?
    /// When the pool started (Unix seconds), for `uptime`.
    let poolStartedAt: Double
    let clock: () -> Double
    /// The pool's shared state, when this responder belongs to a supervised pool.
    let scoreboard: Scoreboard?

    init(configuration: WorkerConfiguration, poolStartedAt: Double, clock: @escaping () -> Double,
         scoreboard: Scoreboard? = nil, makeProcessor: @escaping () throws(ImageError) -> ImageProcessor) {
        self.configuration = configuration
        self.poolStartedAt = poolStartedAt
        self.clock = clock
        self.scoreboard = scoreboard
        self.makeProcessor = makeProcessor
    }

    func processor() throws(ServiceError) -> ImageProcessor {
        if let cachedProcessor { return cachedProcessor }
        do {
            let processor = try makeProcessor()
            cachedProcessor = processor
            return processor
        } catch {
            throw ServiceError(error)
        }
    }

    var limits: ImageLimits {
        ImageLimits(configuration)
    }
}

extension ImageLimits {
    /// The header limits a configuration sets.
    init(_ configuration: WorkerConfiguration) {
        self.init(maxPixels: configuration.maxPixels, maxFrames: configuration.maxFrames,
                  maxTotalPixels: configuration.maxTotalPixels, maxScans: configuration.maxJPEGScans,
                  maxOutputBytes: configuration.maxOutputBytes)
    }
}
