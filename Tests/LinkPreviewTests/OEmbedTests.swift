import Testing
@testable import LinkPreview

@Suite struct OEmbedTests {
    @Test func knownFields_kept_htmlAndUnknownDropped() throws {
        let answer = try #require(OEmbed(Array(#"""
            {"type": "video", "version": "1.0", "title": "  A   video ", "html": "<script>x</script>",
             "width": 640, "height": 360.0, "thumbnail_url": "https://cdn.example/t.jpg", "author_url": "javascript:1",
             "provider_name": "Tube", "extra": {"nested": true}, "thumbnail_width": -5, "cache_age": 3600}
            """#.utf8), links: LinkRules()))
        let names = answer.fields.map(\.0)
        #expect(!names.contains("html") && !names.contains("extra") && !names.contains("author_url"))
        #expect(!names.contains("thumbnail_width"), "negative sizes are dropped")
        #expect(answer.fields.first { $0.0 == "title" }?.1 == .text("A video"))
        #expect(answer.fields.first { $0.0 == "height" }?.1 == .number(360))
        #expect(answer.fields.first { $0.0 == "thumbnail_url" }?.1 == .text("https://cdn.example/t.jpg"))
        #expect(answer.fields.first { $0.0 == "cache_age" }?.1 == .number(3600))
    }

    @Test(arguments: ["[]", "{}", #"{"type": "script"}"#, #"{"type": 1}"#, "not json", #"{"type": "link""#])
    func answersWithoutAKnownType_areIgnored(_ text: String) {
        #expect(OEmbed(Array(text.utf8), links: LinkRules()) == nil)
    }

    @Test func linksToInternalAddressesOrNames_areDropped() throws {
        let answer = try #require(OEmbed(Array(#"""
            {"type": "photo", "url": "http://169.254.169.254/latest/meta-data/", "thumbnail_url": "http://127.0.0.1:8080/t.jpg",
             "author_url": "http://[::ffff:10.0.0.1]/me", "provider_url": "http://metadata.internal/",
             "title": "kept"}
            """#.utf8), links: LinkRules()))
        #expect(answer.fields.map(\.0) == ["type", "title"])
        let kept = try #require(OEmbed(Array(#"{"type": "photo", "url": "https://cdn.example.org/p.jpg"}"#.utf8),
                                         links: LinkRules()))
        #expect(kept.fields.first { $0.0 == "url" }?.1 == .text("https://cdn.example.org/p.jpg"))
    }
}
