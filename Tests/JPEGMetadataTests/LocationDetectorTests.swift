import Testing
@testable import JPEGMetadata

/// The independent detector: every sign it is written to see, and none in ordinary metadata.
@Suite struct LocationDetectorTests {
    typealias Builder = TIFFDirectoryBuilder

    func findings(_ segments: [[UInt8]]) throws -> [LocationDetector.Finding] {
        LocationDetector.findings(in: JPEGFixture.with(segments, base: try JPEGFixture.base()))
    }

    @Test func gpsLinkedFromATIFFStructureAnywhere_isFound() throws {
        let root = Builder()
        root.links = [(0x8825, [Builder.gps()])]
        let tiff = root.build()
        #expect(try findings([JPEGFixture.exif(tiff)]).count == 1)
        // Behind an unknown header, in an unknown segment.
        #expect(try findings([JPEGFixture.segment(0xE9, Array("vendor".utf8) + tiff)]).count == 1)
    }

    @Test func gpsInXMLNames_isFound_butNotInValuesOrText() throws {
        func xmp(_ body: String) -> [UInt8] { JPEGFixture.xmp(JPEGFixture.packet(body)) }
        #expect(try findings([xmp(#"<rdf:Description a:GpsLat = "1"/>"#)]).count == 1)
        #expect(try findings([xmp(#"<rdf:Description><a:GPSLatitude>1</a:GPSLatitude></rdf:Description>"#)]).count == 1)
        #expect(try findings([xmp("<rdf:Description>< /x:gps >1</x:gps></rdf:Description>")]).count == 1)
        #expect(try findings([xmp(#"<rdf:Description xmp:CreatorTool="GPSMapper"><dc:title>My GPS trip</dc:title></rdf:Description>"#)]).isEmpty)
    }

    @Test func unknownSegmentMentioningGPS_isFound_knownKindsAreReadByStructure() throws {
        #expect(try findings([JPEGFixture.segment(0xE6, Array("GoPro\u{0}GPS5".utf8))]).count == 1)
        #expect(try findings([JPEGFixture.segment(0xE2, Array("MPF\u{0}".utf8) + Array("gps".utf8))]).isEmpty)
        // An ICC profile is read for the letters too: its 'meta' dictionary can name GPS in UTF-16.
        #expect(try findings([JPEGFixture.segment(0xE2, Array("ICC_PROFILE\u{0}".utf8) + [1, 1, 0, 0x47, 0, 0x50, 0, 0x53])]).count == 1)
    }

    @Test func dataAfterTheLastImage_isAFinding() throws {
        let base = try JPEGFixture.base()
        let found = LocationDetector.findings(in: base + Array("PK\u{3}\u{4}zip".utf8))
        #expect(found.map(\.range) == [base.count..<(base.count + 7)])
        #expect(LocationDetector.findings(in: base + base).isEmpty)
    }

    @Test func nearMissNames_costLinearTime() throws {
        // 60 KB of "gp" runs and "gpsgpsgps…" values: one pass, no finding.
        let payload = Array(String(repeating: "gp<gp a=\"gpsgpsgps\" ", count: 3000).utf8)
        #expect(try findings([JPEGFixture.segment(0xE1, Array("http://ns.adobe.com/xap/1.0/\u{0}".utf8) + payload)]).isEmpty)
    }

    @Test func xmpInUTF16_isAFinding_zeroPaddingIsNot() throws {
        let header = Array("http://ns.adobe.com/xap/1.0/\u{0}".utf8)
        let wide = Array("<x:xmpmeta/>".utf16).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        #expect(try findings([JPEGFixture.segment(0xE1, header + [0xFE, 0xFF] + wide)]).count == 1)
        #expect(try findings([JPEGFixture.segment(0xE1, header + Array("<x:xmpmeta/>".utf8) + [0, 0])]).isEmpty)
    }
}
