import Logging
import NetworkAddress
import Testing
@testable import LinkPreview
@testable import Previewer
@testable import ResponderCore
@testable import WorkerConfig

/// The preview pipeline below nginx and libcurl: a fetcher that answers from a table of
/// pages, an image pool that answers from a closure, the real card, oEmbed and limits.
@Suite struct LinkPreviewerTests {
    /// Pages by URL; every fetch is recorded with its limits.
    final class FakeFetcher: PageFetching, @unchecked Sendable {
        var pages: [String: Result<(type: String, body: String), Fetcher.Failure>] = [:]
        var asked: [(url: String, request: FetchRequest)] = []
        let allowedPorts: Set<Int> = [80, 443]

        func admits(_ host: URLHost) -> Bool {
            if case .address(let address) = host { return address == IPAddress("203.0.113.7") }
            return true
        }

        func fetch(_ url: PreviewURL, _ request: FetchRequest) async throws(Fetcher.Failure) -> Fetcher.Page {
            asked.append((url.description, request))
            guard let answer = pages[url.description] else { throw .fetchFailed(detail: "no such page", status: 404) }
            switch answer {
            case .failure(let failure): throw failure
            case .success(let (type, body)):
                return Fetcher.Page(finalURL: url, status: 200, contentType: type, body: Array(body.utf8), redirects: 0)
            }
        }
    }

    final class FakeImagePool: ImageFitting, @unchecked Sendable {
        var answer: Result<ImagePoolClient.Fitted, ImagePoolClient.Failure> =
            .success(.init(bytes: [1, 2, 3], mimeType: "image/jpeg", facts: .init(width: 600, height: 315, sourceType: "image/png")))
        var fitted: [(bytes: [UInt8], box: Int)] = []

        func fit(_ image: [UInt8], box: Int, deadline: Double, requestID: String) async throws(ImagePoolClient.Failure)
            -> ImagePoolClient.Fitted {
            fitted.append((image, box))
            return try answer.get()
        }
    }

    let fetcher = FakeFetcher()
    let pool = FakeImagePool()
    var previewer: LinkPreviewer { LinkPreviewer(settings: WorkerConfiguration(), fetcher: fetcher, imagePool: pool) }
    let logger = Logger(label: "test")

    static let article = """
        <html><head><title>Plain</title><meta property="og:title" content="The title">
        <meta property="og:image" content="/card.png">
        <link rel="alternate" type="application/json+oembed" href="/oembed?u=1"></head><body>x</body></html>
        """

    @Test func aPage_givesItsCard_itsOEmbed_andItsImageFittedByThePool() async throws {
        fetcher.pages["https://news.example/a"] = .success(("text/html; charset=utf-8", Self.article))
        let oembed = #"{"type":"rich","author_name":"Ann","html":"<script>"}"#
        fetcher.pages["https://news.example/oembed?u=1"] = .success(("application/json", oembed))
        fetcher.pages["https://news.example/card.png"] = .success(("image/png", "PNGBYTES"))
        let preview = try await previewer.preview("https://news.example/a", requestID: "r1", logger: logger)
        #expect(preview.card.title == "The title")
        #expect(preview.image?.url == "https://news.example/card.png" && preview.image?.fitted.facts.width == 600)
        #expect(pool.fitted.map(\.bytes) == [Array("PNGBYTES".utf8)] && pool.fitted.first?.box == 600)
        #expect(preview.oembed?.fields.contains { $0.0 == "author_name" } == true)
        #expect(preview.oembed?.fields.contains { $0.0 == "html" } == false)
        #expect(preview.fetchedBytes == Self.article.utf8.count + oembed.utf8.count + 8)
        // The page is read under the HTML cap and cut at its head; the others under their own caps.
        let page = try #require(fetcher.asked.first)
        #expect(page.request.stopAfterHead && page.request.maxHTMLBytes == WorkerConfiguration().previewMaxBytes)
        #expect(fetcher.asked.dropFirst().allSatisfy { !$0.request.stopAfterHead })
        // One deadline for every fetch of the preview.
        #expect(Set(fetcher.asked.map(\.request.deadline)).count == 1)
    }

    @Test func aDirectImageLink_isThePreviewsImage() async throws {
        fetcher.pages["https://img.example/p.jpg"] = .success(("image/jpeg", "JPEG"))
        let preview = try await previewer.preview("https://img.example/p.jpg", requestID: "r2", logger: logger)
        #expect(preview.image?.url == "https://img.example/p.jpg" && preview.mediaType == "image/jpeg")
        #expect(fetcher.asked.count == 1)
    }

    @Test func anImagePoolThatCannotBeReached_isTheWorkersTrouble_butAPageKeepsItsCard() async throws {
        pool.answer = .failure(.unreachable("connect: refused"))
        fetcher.pages["https://img.example/p.jpg"] = .success(("image/jpeg", "JPEG"))
        await #expect(throws: ServiceError.overloaded) { try await previewer.preview("https://img.example/p.jpg", requestID: "r", logger: logger) }
        fetcher.pages["https://news.example/a"] = .success(("text/html", Self.article))
        let preview = try await previewer.preview("https://news.example/a", requestID: "r", logger: logger)
        #expect(preview.card.title == "The title" && preview.image == nil)
    }

    @Test func anImageThePoolRefuses_isTheLinksFault() async {
        pool.answer = .failure(.refused(status: 400, detail: "corrupt"))
        fetcher.pages["https://img.example/p.jpg"] = .success(("image/jpeg", "JPEG"))
        await #expect {
            try await previewer.preview("https://img.example/p.jpg", requestID: "r", logger: logger)
        } throws: { ($0 as? ServiceError)?.code == "unsupported_content" }
    }

    @Test func whatIsNeitherPageNorImage_isUnsupported_andSiteFailuresAreTheSites() async {
        fetcher.pages["https://files.example/a.zip"] = .success(("application/zip", "PK"))
        await #expect { try await previewer.preview("https://files.example/a.zip", requestID: "r", logger: logger) }
            throws: { ($0 as? ServiceError)?.code == "unsupported_content" }
        fetcher.pages["https://slow.example/"] = .failure(.timeout)
        await #expect(throws: ServiceError.fetchTimeout) { try await previewer.preview("https://slow.example/", requestID: "r", logger: logger) }
        fetcher.pages["https://big.example/"] = .failure(.tooLarge(limit: 9))
        await #expect(throws: ServiceError.fetchTooLarge(limit: 9)) { try await previewer.preview("https://big.example/", requestID: "r", logger: logger) }
        await #expect(throws: ServiceError.fetchFailed(detail: "no such page", targetStatus: 404)) {
            try await previewer.preview("https://gone.example/", requestID: "r", logger: logger)
        }
    }

    @Test func literalAddresses_areJudgedBeforeAnyFetch_andBadLinksNeverFetched() async {
        for link in ["http://10.0.0.1/", "http://[fd00::1]/", "http://198.51.100.1/"] {
            await #expect(throws: ServiceError.blockedAddress) { try await previewer.preview(link, requestID: "r", logger: logger) }
        }
        for link in ["ftp://news.example/", "https://news.example:8443/", "https://user:pw@news.example/", "not a link"] {
            await #expect { try await previewer.preview(link, requestID: "r", logger: logger) } throws: { ($0 as? ServiceError)?.code == "bad_url" }
        }
        #expect(fetcher.asked.isEmpty)
        fetcher.pages["http://203.0.113.7/"] = .success(("text/html", "<title>ok</title>"))
        #expect((try? await previewer.preview("http://203.0.113.7/", requestID: "r", logger: logger))?.card.title == "ok")
    }
}
