import ImageKit
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

    init(configuration: WorkerConfiguration, poolStartedAt: Double, clock: @escaping () -> Double,
         makeProcessor: @escaping () throws(ImageError) -> ImageProcessor) {
        self.configuration = configuration
        self.poolStartedAt = poolStartedAt
        self.clock = clock
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
        ImageLimits(maxPixels: configuration.maxPixels, maxFrames: configuration.maxFrames,
                    maxTotalPixels: configuration.maxTotalPixels)
    }
}
