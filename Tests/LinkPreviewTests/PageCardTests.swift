import Testing
@testable import LinkPreview
import NetworkAddress

@Suite struct PageCardTests {
    let page = try! PreviewURL("https://news.example/articles/42?ref=x")

    func card(_ html: String, charset: String? = nil) -> PageCard {
        PageCard.read(html: Array(html.utf8), charset: charset, pageURL: page, links: LinkRules())
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
        #expect(PageCard.read(html: latin1, charset: "iso-8859-1", pageURL: page, links: LinkRules()).title == "Café")
        let declared: [UInt8] = Array("<html><head><meta charset=\"windows-1252\"><title>Caf".utf8) + [0xE9, 0x80]
            + Array("</title></head></html>".utf8)
        #expect(PageCard.read(html: declared, charset: nil, pageURL: page, links: LinkRules()).title == "Café€")
        // An unknown charset name is ignored, not trusted.
        #expect(PageCard.read(html: Array("<title>ok</title>".utf8), charset: "x-made-up", pageURL: page, links: LinkRules()).title == "ok")
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

    @Test func charsetLabels_resolveAsTheEncodingStandard_invalidBytesBecomeReplacementCharacters() {
        // `utf8` (no hyphen) names UTF-8; the lone 0xFF is no UTF-8 and must not cost the rest of the page.
        let body: [UInt8] = Array("<title>Caf\u{E9} ".utf8) + [0xFF]
            + Array(" ok</title><meta name=description content=\"D\u{E9}j\u{E0} vu\"></head></html>".utf8)
        let read = PageCard.read(html: Array("<html><head><meta charset=\"utf8\">".utf8) + body, charset: nil, pageURL: page,
                                 links: LinkRules())
        #expect(read.title == "Café \u{FFFD} ok" && read.description == "Déjà vu")
        let fromHeader = PageCard.read(html: body, charset: "utf8", pageURL: page, links: LinkRules())
        #expect(fromHeader.title == "Café \u{FFFD} ok" && fromHeader.description == "Déjà vu")
        // `latin1` is windows-1252: 0x80 is the euro sign, not a C1 control.
        let latin1: [UInt8] = Array("<title>".utf8) + [0x80, 0x20, 0xE9] + Array("</title>".utf8)
        #expect(PageCard.read(html: latin1, charset: " Latin1 ", pageURL: page, links: LinkRules()).title == "€ é")
        // A multi-byte charset with a broken sequence: the rest still reads (Shift_JIS 日本, then a lead byte alone).
        let sjis: [UInt8] = Array("<meta http-equiv=Content-Type content='text/html; charset=x-sjis'><title>".utf8)
            + [0x93, 0xFA, 0x96, 0x7B, 0x20, 0x81] + Array("</title>".utf8)
        #expect(PageCard.read(html: sjis, charset: nil, pageURL: page, links: LinkRules()).title == "日本 \u{FFFD}")
        // A charset named late in the page does not switch what was read.
        let late = Array("<title>Caf\u{E9}</title>".utf8) + Array(repeating: UInt8(0x20), count: 2000)
            + Array("<meta charset=iso-8859-5>".utf8)
        #expect(PageCard.read(html: late, charset: "utf-8", pageURL: page, links: LinkRules()).title == "Café")
    }

    @Test func anEmptyMetaTag_doesNotHideALaterOne() {
        let found = card("<head><meta name=description content=\"\"><meta name=description content=\"  \">"
            + "<meta name=description content=\"The real one\"><meta property=og:title content=''>"
            + "<meta property=og:title content='OG'><title>Plain</title></head>")
        #expect(found.description == "The real one" && found.title == "OG")
    }

    @Test func oembedDiscovery_worksWithoutAnExplicitHead() {
        for page in [
            "<!doctype html><title>Video</title><link rel=alternate type=application/json+oembed href=/oembed?id=1><p>Body",
            "<html><title>Video</title><p>Intro</p><link rel=\"alternate\" type=\"application/json+oembed\" href=\"/oembed?id=1\">",
            "<title>Video</title><body><link rel=alternate type=application/json+oembed href=/oembed?id=1></body>",
        ] {
            #expect(card(page).oembedURL == "https://news.example/oembed?id=1", "\(page)")
        }
    }

    @Test func linksToInternalAddressesOrNames_areDropped_publicOnesKept() {
        let found = card("""
            <head><link rel=canonical href="http://127.0.0.1/admin"><meta property=og:url content="https://news.example/a/42">
            <meta property=og:image content="http://169.254.169.254/latest/meta-data/">
            <meta name=twitter:image content="https://cdn.news.example/card.png">
            <link rel=alternate type=application/json+oembed href="http://[::1]:8080/oembed"></head>
            """)
        #expect(found.canonicalURL == "https://news.example/a/42")
        #expect(found.imageURL == "https://cdn.news.example/card.png")
        #expect(found.oembedURL == nil)
        let names = card("<head><link rel=canonical href='http://localhost/'><meta property=og:image content='http://db.internal/x.png'>"
            + "<base href='http://10.0.0.5/'><link rel=alternate type=application/json+oembed href='/o'></head>")
        #expect(names.canonicalURL == nil && names.imageURL == nil && names.oembedURL == nil)
        // The operator's lists count too: an allowed range is admitted, a denied name is not.
        let rules = PreviewPolicy(allow: AddressRules("10.0.0.0/24")!, deny: AddressRules("blocked.example.org")!).links
        let listed = PageCard.read(html: Array("<head><base href='http://10.0.0.5/'><link rel=alternate type=application/json+oembed href='/o'>"
            .utf8) + Array("<link rel=canonical href='https://www.blocked.example.org/'></head>".utf8),
            charset: nil, pageURL: page, links: rules)
        #expect(listed.oembedURL == "http://10.0.0.5/o" && listed.canonicalURL == nil)
    }
}
