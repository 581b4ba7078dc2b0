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

    static func respond(to request: Request, in context: PreviewContext) throws(ServiceError) -> Response {
        let link = try link(of: request)
        let start = unixTime()
        let preview = try context.previewer.preview(link, requestID: request.requestID, logger: context.logger)
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
        return Response.json(json).logging([
            ("link_host", preview.page.finalURL.hostText), ("content_type", preview.mediaType),
            ("fetched_bytes", String(preview.fetchedBytes)), ("redirects", String(preview.page.redirects)),
        ])
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
        guard request.body.count <= 16 * 1024 else { throw .badURL("the request is larger than 16 KiB") }
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
