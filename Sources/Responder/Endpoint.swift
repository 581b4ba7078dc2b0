import ResponderCore
import ImageKit
import Scoreboard
import WorkerConfig

/// One endpoint: answers a request that the route table sent to it.
protocol Endpoint: Sendable {
    func respond(to request: Request, in context: EndpointContext) throws(ServiceError) -> Response
}

/// What endpoints may use: configuration, the image facade and the clock.
final class EndpointContext: PoolContext {
    let configuration: WorkerConfiguration
    /// Started by the responder when it boots, before the system-call allow-list.
    let processor: ImageProcessor
    /// When the pool started (Unix seconds), for `uptime`.
    let poolStartedAt: Double
    let clock: @Sendable () -> Double
    let scoreboard: Scoreboard?

    init(configuration: WorkerConfiguration, processor: ImageProcessor, poolStartedAt: Double,
         clock: @escaping @Sendable () -> Double, scoreboard: Scoreboard? = nil) {
        self.configuration = configuration
        self.processor = processor
        self.poolStartedAt = poolStartedAt
        self.clock = clock
        self.scoreboard = scoreboard
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
