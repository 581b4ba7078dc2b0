import Testing
@testable import LinkPreview

@Suite struct PageCardTests {
    let page = try! PreviewURL("https://news.example/articles/42?ref=x")

    func card(_ html: String, charset: String? = nil) -> PageCard {
        PageCard.read(html: Array(html.utf8), charset: charset, pageURL: page)
    }

    @Test func openGraph_winsOverTwitterAndTitle_urlsResolved() {
        let found = card("""
            <!doctype html><html><head><title>Plain title</title>
            <meta property="og:title" content="  The   OG &amp; title ">
            <meta name="twitter:title" content="Twitter title">
            <meta property="og:description" content="What it says">
            <meta property="og:site_name" content="News">
            <meta property="og:type" content="article"><meta property="og:locale" content="en_GB">
            <meta property="og:image" content="/img/card.jpg"><meta property="og:image:width" content="1200">
            <meta property="og:image:height" content="630">
            <link rel="canonical" href="https://news.example/a/42">
            <link rel="alternate" type="application/json+oembed" href="/oembed?url=42">
            </head><body><p>text</p></body></html>
            """)
        #expect(found.title == "The OG & title")
        #expect(found.description == "What it says" && found.siteName == "News" && found.type == "article" && found.locale == "en_GB")
        #expect(found.imageURL == "https://news.example/img/card.jpg" && found.imageWidth == 1200 && found.imageHeight == 630)
        #expect(found.canonicalURL == "https://news.example/a/42")
        #expect(found.oembedURL == "https://news.example/oembed?url=42")
    }

    @Test func twitterAndPlainTags_fillIn_whenOpenGraphIsMissing() {
        let found = card("<html><head><title>\n  Only &eacute;t&eacute;\n</title><meta name=description content='A page.'>"
            + "<meta name=twitter:image content='pics/x.png'></head></html>")
        #expect(found.title == "Only été" && found.description == "A page.")
        #expect(found.imageURL == "https://news.example/articles/pics/x.png")
    }

    @Test func brokenMarkup_isReadAsBrowsersWould() {
        // Unquoted attributes, unclosed elements, no <html>, junk before the head.
        let found = card("junk <head><meta property=og:description content=still><title>Broken page<p><div><table><tr>")
        #expect(found.description == "still")
        #expect(found.title?.hasPrefix("Broken page") == true)
        #expect(card("").title == nil && card("\u{0}\u{1}\u{2}").title == nil)
    }

    @Test func otherSchemesAndJunk_areNotURLs() {
        let found = card("<head><meta property=og:image content='javascript:alert(1)'><meta name=twitter:image content='data:image/png;base64,AA'>"
            + "<link rel=canonical href='file:///etc/passwd'></head>")
        #expect(found.imageURL == nil && found.canonicalURL == nil)
    }

    @Test func charsets_fromTheHeaderOrTheMetaTag_becomeUTF8() {
        // "Café" in ISO-8859-1: é is 0xE9.
        let latin1: [UInt8] = Array("<html><head><title>Caf".utf8) + [0xE9] + Array("</title></head></html>".utf8)
        #expect(PageCard.read(html: latin1, charset: "iso-8859-1", pageURL: page).title == "Café")
        let declared: [UInt8] = Array("<html><head><meta charset=\"windows-1252\"><title>Caf".utf8) + [0xE9, 0x80]
            + Array("</title></head></html>".utf8)
        #expect(PageCard.read(html: declared, charset: nil, pageURL: page).title == "Café€")
        // An unknown charset name is ignored, not trusted.
        #expect(PageCard.read(html: Array("<title>ok</title>".utf8), charset: "x-made-up", pageURL: page).title == "ok")
    }

    @Test func longText_isCut_atAWord_withAnEllipsis() throws {
        let long = String(repeating: "word ", count: 200)
        let title = try #require(card("<title>\(long)</title>").title)
        #expect(title.count <= PageCard.maxTitle && title.hasSuffix("…"))
    }

    @Test func deeplyNestedOrHugePages_costABoundedWalk() {
        let deep = String(repeating: "<div>", count: 100_000) + "<title>deep</title>"
        _ = card(deep)  // must return; libxml2 caps depth, the walk caps nodes
        let many = "<head><title>t</title>" + String(repeating: "<meta name=x content=y>", count: 100_000) + "</head>"
        #expect(card(many).title == "t")
    }
}
