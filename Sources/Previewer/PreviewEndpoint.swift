import HTTPContentType
import LinkPreview
import Logging
import ResponderCore
import Scoreboard

/// `POST /links/preview` (JSON `{"url": …}` or a form field `url`) and
/// `GET /links/preview?url=…`: a preview card for a link, fetched here so the
/// forum never contacts the site.
enum PreviewEndpoint {
    static let usage = "GET /links/preview?url=… or POST JSON {\"url\": \"…\"} (or a form field url): a preview card for the link (title, description, site, image fitted by the worker, oEmbed facts), fetched by the worker. Only http and https links to public addresses."

    /// The largest request body read (a JSON object or a form with one link).
    static let maxBodyBytes = 16 * 1024

    static func respond(to request: Request, in context: PreviewContext) async throws(ServiceError) -> Response {
        // A request that carries the worker's own mark came through one of its fetches: a page that
        // links or redirects to this route would otherwise make the worker preview itself, forever.
        if let via = request.via, via.lowercased().contains(Fetcher.viaMark) { throw .blockedAddress }
        try context.access.check(request)
        let link = try link(of: request)
        let url = try context.previewer.judged(link)
        if let normal = normalRedirect(request, link: link, url: url, access: context.access) { return normal }
        let start = unixTime()
        let preview = try await context.previewer.preview(link, requestID: request.requestID, logger: context.logger)
        let end = unixTime()
        var json = JSONWriter(capacity: Base64.encodedLength(preview.image?.fitted.bytes.count ?? 0) + 2048)
        json.beginObject()
        json.envelope(ok: true)
        json.field("url", preview.url.description)
        json.field("final_url", preview.page.finalURL.description)
        optional(&json, "canonical_url", preview.card.canonicalURL)
        optional(&json, "title", preview.card.title)
        optional(&json, "description", preview.card.description)
        optional(&json, "site_name", preview.card.siteName)
        optional(&json, "type", preview.card.type)
        optional(&json, "locale", preview.card.locale)
        json.key("image")
        if let (url, fitted) = preview.image {
            json.beginObject()
            json.field("url", url)
            json.field("width", fitted.facts.width)
            json.field("height", fitted.facts.height)
            json.field("mime_type", fitted.facts.sourceType)
            json.key("output")
            json.base64(fitted.bytes)
            json.field("output_mime", fitted.mimeType)
            json.endObject()
        } else {
            json.null()
        }
        json.key("oembed")
        if let oembed = preview.oembed {
            json.beginObject()
            for (name, value) in oembed.fields {
                switch value {
                case .text(let text): json.field(name, text)
                case .number(let number): json.field(name, number)
                }
            }
            json.endObject()
        } else {
            json.null()
        }
        json.field("content_type", preview.mediaType)
        json.field("redirects", preview.page.redirects)
        json.field("fetched_bytes", preview.fetchedBytes)
        json.field("start", start)
        json.field("end", end)
        json.field("cost", Int(((end - start) * 1000).rounded()))
        json.endObject()
        var response = Response.json(json)
        response.headers.append(PreviewCaching.header(forCard: preview.page))
        return response.logging([
            ("link_host", preview.page.finalURL.hostText), ("content_type", preview.mediaType),
            ("fetched_bytes", String(preview.fetchedBytes)), ("redirects", String(preview.page.redirects)),
        ])
    }

    /// A GET for a link in another spelling than its normal one (`HTTP://Example.org/a#top`
    /// is `http://example.org/a`) is sent on to the normal spelling, so nginx's cache, keyed
    /// by the link as asked, keeps one entry per link.
    static func normalRedirect(_ request: Request, link: String, url: PreviewURL, access: PreviewAccess) -> Response? {
        guard request.method == "GET", url.description != link else { return nil }
        var target = "/links/preview?url=" + formEncoded(url.description)
        if access.signer.isEnabled, request.query["sig"] != nil, let signature = access.signature(for: url.description) {
            target += "&sig=" + signature
        }
        var json = JSONWriter()
        json.beginObject()
        json.envelope(ok: true)
        json.field("location", target)
        json.endObject()
        var response = Response.json(json, status: 308)
        response.headers = [("Location", target), ("Cache-Control", "public, max-age=\(PreviewCaching.day)")]
        return response
    }

    /// Everything but unreserved characters percent-encoded, as a query value.
    static func formEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let unreserved = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~")
            if unreserved { out.unicodeScalars.append(Unicode.Scalar(byte)) } else {
                out += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 15, radix: 16, uppercase: true)
            }
        }
        return out
    }

    private static func optional(_ json: inout JSONWriter, _ key: String, _ value: String?) {
        json.key(key)
        if let value { json.string(value) } else { json.null() }
    }

    /// The link a request asks about: `?url=` on GET (a bare GET gets the route's usage
    /// document before it comes here), JSON or a form on POST.
    static func link(of request: Request) throws(ServiceError) -> String {
        if request.method != "POST" {
            guard let link = request.query["url"] else { throw .badURL("no url parameter") }
            return link
        }
        let type = ContentTypeHeader(request.contentType ?? "").mediaType
        guard request.body.count <= maxBodyBytes else { throw .badURL("the request is larger than 16 KiB") }
        if type == "application/json" {
            guard let document = try? JSONValue(parsing: request.body), case .object = document else {
                throw .badParameter("the body is not a JSON object")
            }
            guard case .string(let link)? = document["url"] else { throw .badURL("no \"url\" string in the JSON body") }
            return link
        }
        if type == "application/x-www-form-urlencoded" {
            guard let link = Request.parseQuery(String(decoding: request.body, as: UTF8.self))["url"] else {
                throw .badURL("no url field in the form")
            }
            return link
        }
        if let link = request.query["url"] { return link }
        throw .badParameter("send the link as JSON {\"url\": \"…\"} or as a form field url")
    }
}
