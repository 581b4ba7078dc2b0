import LinkPreview
import NetworkAddress

/// One fetch's own limits: what a preview asks of the network for its page, its oEmbed
/// answer or its image.
struct FetchRequest: Equatable {
    var accept: String
    var maxBytes: Int
    /// The limit for a body the server calls HTML (0: `maxBytes`).
    var maxHTMLBytes = 0
    /// End an HTML page's transfer once its head has arrived.
    var stopAfterHead = false
    var timeoutMilliseconds: Int
}

/// The network side of a preview: libcurl behind the address guard in production.
protocol PageFetching {
    /// Ports a link or a redirect may name.
    var allowedPorts: Set<Int> { get }
    /// Whether an address may be connected to; a literal address in a link is judged before any fetch.
    func admits(_ address: IPAddress) -> Bool
    func fetch(_ url: PreviewURL, _ request: FetchRequest) throws(Fetcher.Failure) -> Fetcher.Page
}

/// The image side of a preview: the image pool, which decodes where no socket can be opened.
protocol ImageFitting {
    func fit(_ image: [UInt8], box: Int, timeoutMilliseconds: Int, requestID: String) throws(ImagePoolClient.Failure)
        -> ImagePoolClient.Fitted
}

extension Fetcher: PageFetching {
    func admits(_ address: IPAddress) -> Bool { addressGuard.verdict(address) == .allowed }

    func fetch(_ url: PreviewURL, _ request: FetchRequest) throws(Fetcher.Failure) -> Fetcher.Page {
        var fetcher = self
        fetcher.accept = request.accept
        fetcher.maxBytes = request.maxBytes
        fetcher.maxHTMLBytes = request.maxHTMLBytes
        fetcher.stopAfterHead = request.stopAfterHead
        fetcher.totalTimeoutMilliseconds = request.timeoutMilliseconds
        return try fetcher.fetch(url)
    }
}

extension ImagePoolClient: ImageFitting {}
