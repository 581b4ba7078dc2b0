/// What a preview card shows of a page, read from its OpenGraph and Twitter
/// tags, `<title>`, `<meta name=description>`, `<link rel=canonical>` and its
/// oEmbed discovery link (JSON only). Text is whitespace-normalised and capped;
/// every URL is resolved against the page (or its `<base href>`) and kept only
/// if it is an http(s) link the preview's link rules admit (no literal internal
/// address, no internal-only name): the forum shows and may follow them.
public struct PageCard: Equatable, Sendable {
    public var title: String?
    public var description: String?
    public var siteName: String?
    public var type: String?
    public var locale: String?
    public var canonicalURL: String?
    public var imageURL: String?
    public var imageWidth: Int?
    public var imageHeight: Int?
    public var oembedURL: String?

    public static let maxTitle = 300
    public static let maxDescription = 1000
    public static let maxShort = 100

    /// - Parameters:
    ///   - html: the page's bytes (already capped by the fetch).
    ///   - charset: from the Content-Type header, if it named one.
    ///   - pageURL: where the page was fetched from (after redirects).
    ///   - links: what a link in the card may point at.
    public static func read(html: [UInt8], charset: String?, pageURL: PreviewURL, links: LinkRules) -> PageCard {
        guard let document = HTMLDocument(html, charset: charset) else { return PageCard() }
        return PageCard(document.elements, pageURL: pageURL, links: links)
    }

    public init() {}

    init(_ elements: [HTMLDocument.Element], pageURL: PreviewURL, links: LinkRules) {
        var properties: [String: String] = [:]
        var htmlTitle: String?
        var canonical: String?
        var oembed: String?
        var base = pageURL
        var baseSeen = false
        for element in elements {
            switch element.name {
            case "title" where htmlTitle == nil:
                htmlTitle = element.text
            case "base" where !baseSeen:
                // The first <base href> counts, as in browsers.
                guard let href = element.attributes["href"] else { continue }
                baseSeen = true
                if let resolved = Self.resolve(href, against: pageURL),
                   let url = try? PreviewURL(resolved, allowedPorts: PreviewURL.anyPort) { base = url }
            case "meta":
                // OpenGraph uses property=, Twitter and description use name=; the first of each wins.
                // An empty or blank one says nothing, and must not hide a later one that does.
                guard let content = element.attributes["content"], Self.normalised(content, limit: .max) != nil else { continue }
                for key in [element.attributes["property"], element.attributes["name"]].compactMap({ $0?.lowercased() })
                where properties[key] == nil {
                    properties[key] = content
                }
            case "link":
                let rel = element.attributes["rel"]?.lowercased().split(separator: " ") ?? []
                if rel.contains("canonical"), canonical == nil { canonical = element.attributes["href"] }
                if rel.contains("alternate"), element.attributes["type"]?.lowercased() == "application/json+oembed", oembed == nil {
                    oembed = element.attributes["href"]
                }
            default:
                break
            }
        }
        func text(_ keys: [String], _ limit: Int) -> String? {
            keys.lazy.compactMap { properties[$0] }.compactMap { Self.normalised($0, limit: limit) }.first
        }
        title = text(["og:title", "twitter:title"], Self.maxTitle) ?? htmlTitle.flatMap { Self.normalised($0, limit: Self.maxTitle) }
        description = text(["og:description", "twitter:description", "description"], Self.maxDescription)
        siteName = text(["og:site_name", "application-name"], Self.maxShort)
        type = text(["og:type"], Self.maxShort)
        locale = text(["og:locale"], Self.maxShort)
        func link(_ href: String) -> String? { Self.resolve(href, against: base, links: links) }
        canonicalURL = [canonical, properties["og:url"]].lazy.compactMap { $0 }.compactMap(link).first
        imageURL = ["og:image:secure_url", "og:image:url", "og:image", "twitter:image", "twitter:image:src"].lazy
            .compactMap { properties[$0] }.compactMap(link).first
        imageWidth = properties["og:image:width"].flatMap { Self.dimension($0) }
        imageHeight = properties["og:image:height"].flatMap { Self.dimension($0) }
        oembedURL = oembed.flatMap(link)
    }

    /// `href` resolved, and kept only if the link rules admit its host.
    static func resolve(_ href: String, against page: PreviewURL, links: LinkRules) -> String? {
        guard let absolute = resolve(href, against: page), let url = try? PreviewURL(absolute, allowedPorts: PreviewURL.anyPort),
              links.admits(url.host) else { return nil }
        return absolute
    }

    /// Runs of whitespace become one space; empty gives nil; longer than `limit` characters
    /// is cut at the last space before it (or at the limit) with an ellipsis.
    static func normalised(_ text: String, limit: Int) -> String? {
        let words = text.split(whereSeparator: { $0.isWhitespace || $0 == "\u{0}" })
        guard !words.isEmpty else { return nil }
        let joined = words.joined(separator: " ")
        guard joined.count > limit else { return joined }
        let cut = joined.prefix(limit - 1)
        let atSpace = cut.lastIndex(of: " ").map { cut[..<$0] } ?? cut
        return String(atSpace) + "…"
    }

    static func dimension(_ text: String) -> Int? {
        let trimmed = text.filter { !$0.isWhitespace }
        guard (1...5).contains(trimmed.count), let value = Int(trimmed), value > 0 else { return nil }
        return value
    }

    /// `href` as an absolute http(s) URL, or nil (other schemes, malformed, too long).
    static func resolve(_ href: String, against page: PreviewURL) -> String? {
        let reference = href.split(whereSeparator: { $0.isWhitespace }).joined()
        guard !reference.isEmpty, reference.utf8.count <= PreviewURL.maxLength else { return nil }
        let origin = page.origin
        let absolute: String
        let lower = reference.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            absolute = reference
        } else if reference.hasPrefix("//") {
            absolute = "\(page.scheme):\(reference)"
        } else if reference.hasPrefix("/") {
            absolute = origin + reference
        } else if reference.contains(":") && !reference.hasPrefix("?") && reference.firstIndex(of: ":")! < (reference.firstIndex(of: "/") ?? reference.endIndex) {
            return nil // another scheme: javascript:, data:, mailto: …
        } else {
            let path = page.target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "/"
            let directory = path.hasSuffix("/") ? String(path) : String(path[...(path.lastIndex(of: "/") ?? path.startIndex)])
            absolute = origin + (reference.hasPrefix("?") ? String(path) : directory) + reference
        }
        // Any port: a card may name an image elsewhere; the fetch applies its own port rule.
        return (try? PreviewURL(absolute, allowedPorts: PreviewURL.anyPort))?.description
    }
}
