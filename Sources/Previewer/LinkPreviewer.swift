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
struct LinkPreviewer {
    let fetcher: any PageFetching
    let settings: WorkerConfiguration
    let imagePool: any ImageFitting

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

    init(settings: WorkerConfiguration, fetcher: any PageFetching, imagePool: any ImageFitting) {
        self.settings = settings
        self.fetcher = fetcher
        self.imagePool = imagePool
    }

    /// The production previewer: libcurl behind the operator's policy, the image pool at its address.
    init(settings: WorkerConfiguration, policy: PreviewPolicy) {
        var fetcher = Fetcher(addressGuard: policy.addressGuard)
        fetcher.hostNames = policy.hostNames
        fetcher.allowedPorts = Set(settings.previewPorts.ranges.joined())
        fetcher.connectTimeoutMilliseconds = settings.previewConnectTimeoutMilliseconds
        fetcher.userAgent = settings.previewUserAgent
        fetcher.proxy = settings.previewProxy
        self.init(settings: settings, fetcher: fetcher,
                  imagePool: ImagePoolClient(address: settings.previewImages, secret: settings.sharedSecret,
                                             maxAnswerBytes: settings.maxOutputBytes + 16 * 1024))
    }

    func preview(_ link: String, requestID: String, logger: Logger) throws(ServiceError) -> Preview {
        let deadline = monotonicSeconds() + Double(settings.previewBudgetMilliseconds) / 1000
        let url = try Self.checked(link, ports: fetcher.allowedPorts)
        // A literal address is judged before anything else; names are judged at the socket.
        if case .address(let address) = url.host, !fetcher.admits(address) { throw .blockedAddress }

        let pageRequest = FetchRequest(accept: Self.pageAccept, maxBytes: settings.previewImageByteLimit,
                                       maxHTMLBytes: settings.previewMaxBytes, stopAfterHead: true,
                                       timeoutMilliseconds: try Self.remaining(deadline))
        let page = try Self.mapped { () throws(Fetcher.Failure) in try fetcher.fetch(url, pageRequest) }
        let type = MediaType(page.contentType, sniffing: page.body)
        var preview = Preview(url: url, page: page, mediaType: type.name, card: PageCard(), fetchedBytes: page.body.count)

        if type.isImage {
            // A direct link to an image: the image is the preview.
            preview.image = (page.finalURL.description, try fit(page.body, deadline: deadline, requestID: requestID))
            return preview
        }
        guard type.isHTML else { throw .unsupportedContent(detail: "content type \(type.name)") }
        preview.card = PageCard.read(html: page.body, charset: type.charset, pageURL: page.finalURL)

        if let oembedLink = preview.card.oembedURL {
            do {
                let (answer, bytes) = try fetchSmall(oembedLink, accept: "application/json", maxBytes: OEmbed.maxBytes,
                                                     deadline: deadline)
                preview.fetchedBytes += bytes
                preview.oembed = answer.flatMap { OEmbed($0) }
            } catch {
                logger.debug("no oEmbed", metadata: ["request_id": "\(requestID)", "error": "\(error)"])
            }
        }
        if let imageLink = preview.card.imageURL {
            do {
                let (body, bytes) = try fetchSmall(imageLink, accept: "image/*", maxBytes: settings.previewImageByteLimit,
                                                   deadline: deadline, wantImage: true)
                preview.fetchedBytes += bytes
                if let body { preview.image = (imageLink, try fit(body, deadline: deadline, requestID: requestID)) }
            } catch {
                logger.info("preview without its image", metadata: ["request_id": "\(requestID)", "error": "\(error)"])
            }
        }
        return preview
    }

    /// A second fetch for the page (its oEmbed answer or image): the body when its type fits, and the bytes read.
    private func fetchSmall(_ link: String, accept: String, maxBytes: Int, deadline: Double,
                            wantImage: Bool = false) throws(ServiceError) -> ([UInt8]?, Int) {
        let url = try Self.checked(link, ports: fetcher.allowedPorts)
        let request = FetchRequest(accept: accept, maxBytes: maxBytes, timeoutMilliseconds: try Self.remaining(deadline))
        let page = try Self.mapped { () throws(Fetcher.Failure) in try fetcher.fetch(url, request) }
        let type = MediaType(page.contentType, sniffing: [])
        let fits = wantImage ? type.isImage : type.name.hasSuffix("json")
        return (fits ? page.body : nil, page.body.count)
    }

    private func fit(_ image: [UInt8], deadline: Double, requestID: String) throws(ServiceError) -> ImagePoolClient.Fitted {
        // The image pool's own limits apply; it gets what is left of this preview's time and a second more.
        let milliseconds = try Self.remaining(deadline) + 1000
        do {
            return try imagePool.fit(image, box: settings.previewImageBox, timeoutMilliseconds: milliseconds,
                                     requestID: requestID)
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

    /// Milliseconds left of the preview's budget; none left is the target's slowness.
    private static func remaining(_ deadline: Double) throws(ServiceError) -> Int {
        let milliseconds = Int(((deadline - monotonicSeconds()) * 1000).rounded(.down))
        guard milliseconds >= 50 else { throw .fetchTimeout }
        return milliseconds
    }

    private static func mapped<T>(_ work: () throws(Fetcher.Failure) -> T) throws(ServiceError) -> T {
        do {
            return try work()
        } catch {
            switch error {
            case .badURL(let why): throw .badURL(why)
            case .blockedAddress: throw .blockedAddress
            case .tooLarge(let limit): throw .fetchTooLarge(limit: limit)
            case .timeout: throw .fetchTimeout
            case let .fetchFailed(detail, status): throw .fetchFailed(detail: detail, targetStatus: status)
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
