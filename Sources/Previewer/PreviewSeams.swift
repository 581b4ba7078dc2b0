import LinkPreview
import NetworkAddress

/// The network side of a preview: libcurl on the fetcher's event loop, behind the
/// address guard, in production.
protocol PageFetching: Sendable {
    /// Ports a link or a redirect may name.
    var allowedPorts: Set<Int> { get }
    /// Whether a link's host passes what is judged before any fetch (a literal address, the name rules).
    func admits(_ host: URLHost) -> Bool
    func fetch(_ url: PreviewURL, _ request: FetchRequest) async throws(Fetcher.Failure) -> Fetcher.Page
}

/// The image side of a preview: the image pool, which decodes where no socket can be opened.
protocol ImageFitting: Sendable {
    func fit(_ image: [UInt8], box: Int, deadline: Double, requestID: String) async throws(ImagePoolClient.Failure)
        -> ImagePoolClient.Fitted
}

/// The fetcher on a process's loop.
struct LoopFetcher: PageFetching {
    let fetcher: Fetcher
    let loop: FetchLoop

    var allowedPorts: Set<Int> { fetcher.allowedPorts }
    func admits(_ host: URLHost) -> Bool { fetcher.admits(host) }

    func fetch(_ url: PreviewURL, _ request: FetchRequest) async throws(Fetcher.Failure) -> Fetcher.Page {
        try await fetcher.fetch(url, request, on: loop)
    }
}

/// The image pool's client on a process's loop.
struct LoopImagePool: ImageFitting {
    let client: ImagePoolClient
    let loop: FetchLoop

    func fit(_ image: [UInt8], box: Int, deadline: Double, requestID: String) async throws(ImagePoolClient.Failure)
        -> ImagePoolClient.Fitted {
        try await client.fit(image, box: box, deadline: deadline, requestID: requestID, on: loop)
    }
}
