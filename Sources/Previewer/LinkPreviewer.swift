import HTTPContentType
import LinkPreview
import Logging
import ResponderCore
import Scoreboard
import WorkerConfig

/// Makes one preview: the page fetched (redirects and every address checked),
/// its card read, its oEmbed answer and image fetched the same way, the image
/// fitted by the image pool. Everything a site sends is bounded: bytes (after
/// decompression), time (one budget for the whole preview), redirects.
struct LinkPreviewer: Sendable {
    let fetcher: any PageFetching
    let settings: WorkerConfiguration
    let imagePool: any ImageFitting
    /// What a link in the answer may point at: the rules fetched links follow.
    let links: LinkRules

    /// What a preview is made of, for the answer.
    struct Preview {
        var url: PreviewURL
        var page: Fetcher.Page
        var mediaType: String
        var card: PageCard
        var image: (url: String, fitted: ImagePoolClient.Fitted)?
        var oembed: OEmbed?
        var fetchedBytes: Int
    }

    static let pageAccept = "text/html,application/xhtml+xml;q=0.9,image/*;q=0.8,*/*;q=0.1"

    init(settings: WorkerConfiguration, fetcher: any PageFetching, imagePool: any ImageFitting,
         links: LinkRules = LinkRules()) {
        self.settings = settings
        self.fetcher = fetcher
        self.imagePool = imagePool
        self.links = links
    }

    /// The production previewer: libcurl on the process's loop behind the operator's policy,
    /// the image pool at its address.
    init(settings: WorkerConfiguration, policy: PreviewPolicy, loop: FetchLoop, gate: FetchGate) {
        var fetcher = Fetcher(addressGuard: policy.addressGuard)
        fetcher.hostNames = policy.hostNames
        fetcher.allowedPorts = Set(settings.previewPorts.ranges.joined())
        fetcher.connectTimeoutMilliseconds = settings.previewConnectTimeoutMilliseconds
        fetcher.userAgent = settings.previewUserAgent
        fetcher.proxy = settings.previewProxy
        fetcher.gate = gate
        let client = ImagePoolClient(address: settings.previewImages, secret: settings.sharedSecret,
                                     maxAnswerBytes: settings.maxOutputBytes + 16 * 1024)
        self.init(settings: settings, fetcher: LoopFetcher(fetcher: fetcher, loop: loop),
                  imagePool: LoopImagePool(client: client, loop: loop), links: policy.links)
    }

    /// The preview of `link`. One deadline for all of it: every redirect, the oEmbed answer,
    /// the image and its fitting share the preview's budget.
    func preview(_ link: String, requestID: String, logger: Logger) async throws(ServiceError) -> Preview {
        let deadline = FetchLoop.now() + Double(settings.previewBudgetMilliseconds) / 1000
        let url = try judged(link)

        let pageRequest = FetchRequest(accept: Self.pageAccept, maxBytes: settings.previewImageByteLimit,
                                       maxHTMLBytes: settings.previewMaxBytes, stopAfterHead: true, deadline: deadline)
        let page = try await Self.mapped { () async throws(Fetcher.Failure) in try await fetcher.fetch(url, pageRequest) }
        let type = MediaType(page.contentType, sniffing: page.body)
        var preview = Preview(url: url, page: page, mediaType: type.name, card: PageCard(), fetchedBytes: page.body.count)

        if type.isImage {
            // A direct link to an image: the image is the preview.
            preview.image = (page.finalURL.description, try await fit(page.body, deadline: deadline, requestID: requestID))
            return preview
        }
        guard type.isHTML else { throw .unsupportedContent(detail: "content type \(type.name)") }
        preview.card = PageCard.read(html: page.body, charset: type.charset, pageURL: page.finalURL, links: links)

        if let oembedLink = preview.card.oembedURL {
            do {
                let (answer, bytes) = try await fetchSmall(oembedLink, accept: "application/json", maxBytes: OEmbed.maxBytes,
                                                     deadline: deadline)
                preview.fetchedBytes += bytes
                preview.oembed = answer.flatMap { OEmbed($0, links: links) }
            } catch {
                if error == .cancelled { throw error }
                logger.debug("no oEmbed", metadata: ["request_id": "\(requestID)", "error": "\(error)"])
            }
        }
        if let imageLink = preview.card.imageURL {
            do {
                let (body, bytes) = try await fetchSmall(imageLink, accept: "image/*", maxBytes: settings.previewImageByteLimit,
                                                   deadline: deadline, wantImage: true)
                preview.fetchedBytes += bytes
                if let body { preview.image = (imageLink, try await fit(body, deadline: deadline, requestID: requestID)) }
            } catch {
                if error == .cancelled { throw error }
                logger.info("preview without its image", metadata: ["request_id": "\(requestID)", "error": "\(error)"])
            }
        }
        return preview
    }

    /// The link read and judged before any fetch: its form, its port, a literal address,
    /// the name rules. What a name resolves to is judged at the socket.
    func judged(_ link: String) throws(ServiceError) -> PreviewURL {
        let url = try Self.checked(link, ports: fetcher.allowedPorts)
        guard fetcher.admits(url.host) else { throw .blockedAddress }
        return url
    }

    /// A second fetch for the page (its oEmbed answer or image): the body when its type fits, and the bytes read.
    private func fetchSmall(_ link: String, accept: String, maxBytes: Int, deadline: Double,
                            wantImage: Bool = false) async throws(ServiceError) -> ([UInt8]?, Int) {
        let url = try Self.checked(link, ports: fetcher.allowedPorts)
        // Judged before anything else, as the page's link is.
        guard fetcher.admits(url.host) else { throw .blockedAddress }
        let request = FetchRequest(accept: accept, maxBytes: maxBytes, maxHTMLBytes: maxBytes, deadline: deadline)
        let page = try await Self.mapped { () async throws(Fetcher.Failure) in try await fetcher.fetch(url, request) }
        let type = MediaType(page.contentType, sniffing: [])
        let fits = wantImage ? type.isImage : type.name.hasSuffix("json")
        return (fits ? page.body : nil, page.body.count)
    }

    private func fit(_ image: [UInt8], deadline: Double, requestID: String) async throws(ServiceError)
        -> ImagePoolClient.Fitted {
        // The image pool's own limits apply; it gets what is left of this preview's time and a second more.
        guard !Task.isCancelled else { throw .cancelled }
        do {
            return try await imagePool.fit(image, box: settings.previewImageBox, deadline: deadline + 1, requestID: requestID)
        } catch {
            // The image's fault is the link's; the image pool's own trouble is the worker's.
            switch error {
            case .refused: throw .unsupportedContent(detail: "the linked image could not be fitted: \(error)")
            case .unreachable: throw .overloaded
            case .malformed(let detail): throw .internalError(detail: "the image pool's answer: \(detail)")
            }
        }
    }

    private static func checked(_ link: String, ports: Set<Int>) throws(ServiceError) -> PreviewURL {
        do {
            return try PreviewURL(link, allowedPorts: ports)
        } catch {
            switch error {
            case .port(let port): throw .badURL("port \(port) is not previewed")
            case .bad(let why): throw .badURL(why)
            }
        }
    }

    private static func mapped<T>(_ work: () async throws(Fetcher.Failure) -> T) async throws(ServiceError) -> T {
        do {
            return try await work()
        } catch {
            switch error {
            case .badURL(let why): throw .badURL(why)
            case .blockedAddress: throw .blockedAddress
            case .tooLarge(let limit): throw .fetchTooLarge(limit: limit)
            case .timeout: throw .fetchTimeout
            case let .fetchFailed(detail, status): throw .fetchFailed(detail: detail, targetStatus: status)
            case .cancelled: throw .cancelled
            case .overloaded: throw .overloaded
            }
        }
    }
}

/// A response's Content-Type, read for a preview: the media type and its charset.
struct MediaType {
    let name: String
    let charset: String?

    init(_ header: String, sniffing body: [UInt8]) {
        let parsed = ContentTypeHeader(header)
        var name = parsed.mediaType
        if name.isEmpty {
            // No type named: a body that opens with markup is read as HTML, as browsers do.
            let start = body.prefix(512).drop { [9, 10, 13, 32, 0xEF, 0xBB, 0xBF].contains($0) }
            if start.first == UInt8(ascii: "<") { name = "text/html" }
        }
        self.name = String(name.prefix(100))
        // Some servers quote the charset with single quotes, which the header grammar does not.
        charset = parsed.charset.map { String($0.drop { $0 == "'" }.reversed().drop { $0 == "'" }.reversed()) }
    }

    var isHTML: Bool { name == "text/html" || name == "application/xhtml+xml" }
    var isImage: Bool { name.hasPrefix("image/") }
}
