import Testing
@testable import JPEGMetadata

/// prepareJPEG as a whole: one crafted file per route a position takes into a JPEG.
@Suite struct PrepareJPEGTests {
    typealias Builder = TIFFDirectoryBuilder
    static let position = Array("48.8584".utf8)

    static func exifWithGPS() -> [UInt8] {
        let root = Builder([Builder.ascii(0x010F, "Camera maker")])
        root.links = [(0x8825, [Builder.gps()])]
        return root.build()
    }

    /// Prepares `jpeg` in the default mode and checks that no sign of the position is left.
    func preparedClean(_ jpeg: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws -> PreparedJPEG {
        let prepared = try prepareJPEG(jpeg, policy: .removeLocation)
        #expect(prepared.gpsRemoved, sourceLocation: sourceLocation)
        #expect(LocationDetector.findings(in: prepared.bytes).isEmpty, sourceLocation: sourceLocation)
        #expect(!prepared.bytes.contains(Builder.latitudeBytes), "rational bytes left", sourceLocation: sourceLocation)
        #expect(!prepared.bytes.contains(Self.position), "decimal position left", sourceLocation: sourceLocation)
        #expect((try? JPEGSegments(prepared.bytes)) != nil, sourceLocation: sourceLocation)
        return prepared
    }

    @Test func preparing_anUprightFileWithoutGPS_returnsTheSameBytes() throws {
        let jpeg = try testImageBytes("orientation-1.jpg")
        let prepared = try prepareJPEG(jpeg, policy: .removeLocation)
        #expect(prepared.bytes == jpeg)
        #expect(!prepared.gpsRemoved && prepared.orientationApplied == 1)
    }

    @Test func preparing_rotates_andReportsTheTrim() throws {
        let prepared = try prepareJPEG(try testImageBytes("orientation-6.jpg"), policy: .removeLocation)
        #expect(prepared.orientationApplied == 6)
        #expect(prepared.height == 320 && prepared.width + prepared.trimmedWidth == 213)
        #expect((0...15).contains(prepared.trimmedWidth))
    }

    @Test func trailingExifShorterThanItsSignature_goesWithTheRestAfterTheImage() throws {
        // Found by fuzzing: an APP1 after the image whose length (2) cannot hold "Exif\0\0".
        let base = try JPEGFixture.base()
        let jpeg = base + [0xFF, 0xE1, 0x00, 0x02] + Array("Exif".utf8) + [0, 0] + Array(repeating: 0x41, count: 16)
        let prepared = try prepareJPEG(jpeg, policy: .removeLocation)
        #expect(prepared.bytes == base && prepared.segmentsStripped == 1)
    }

    @Test("EXIF headers that readers accept besides the canonical one",
          arguments: ["Exif\u{0}\u{0}", "exif\u{0}\u{0}", "EXIF\u{0}x", "abExif\u{0}\u{0}", "1234Exif\u{0}\u{0}"])
    func exifUnderAnyHeader_losesItsGPS(_ header: String) throws {
        let jpeg = JPEGFixture.with([JPEGFixture.exif(Self.exifWithGPS(), header: Array(header.utf8))], base: try JPEGFixture.base())
        let prepared = try preparedClean(jpeg)
        #expect(prepared.bytes.contains(Array("Camera maker".utf8)), "the rest of the EXIF block went too")
        #expect(prepared.detectorDrops == 0)
    }

    @Test func exifContinuedInASecondSegment_isNotJoined() throws {
        let jpeg = JPEGFixture.with([JPEGFixture.exif(Self.exifWithGPS()),
                                     JPEGFixture.segment(0xE1, Array("Exif\u{0}\u{0}".utf8) + Self.exifWithGPS().dropFirst(8))],
                                    base: try JPEGFixture.base())
        let prepared = try preparedClean(jpeg)
        #expect(prepared.exifDropped)
    }

    @Test("XMP location properties in every form XML allows",
          arguments: [
            #"<rdf:Description xmlns:drone-dji="http://www.dji.com/drone-dji/1.0/" drone-dji:GpsLatitude="48.8584" drone-dji:GpsLongitude="2.2945" drone-dji:FlightYawDegree="1.0"/>"#,
            #"<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/"><exif:GPSLatitude>48.8584N</exif:GPSLatitude ><exif:FNumber>28/10</exif:FNumber></rdf:Description>"#,
            "<rdf:Description>\n  <exif:GPSLatitude\n   xmlns:exif=\"http://ns.adobe.com/exif/1.0/\"\n  >48.8584N</exif:GPSLatitude\n>\n</rdf:Description>",
            #"<rdf:Description><GPSLatitude xmlns="http://ns.adobe.com/exif/1.0/">48.8584N</GPSLatitude></rdf:Description>"#,
            #"<rdf:Description xmlns:e="http://ns.adobe.com/exif/1.0/" e:GPSLatitude="48.8584N"/>"#,
            #"<rdf:Description xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"><Iptc4xmpExt:LocationCreated><rdf:Bag><rdf:li Iptc4xmpExt:City="Paris" Iptc4xmpExt:Sublocation="48.8584"/></rdf:Bag></Iptc4xmpExt:LocationCreated></rdf:Description>"#,
          ])
    func xmpLocation_isRemoved_othersKept(_ description: String) throws {
        let xmp = JPEGFixture.packet(description + #"<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:format="image/jpeg"/>"#)
        let prepared = try preparedClean(JPEGFixture.with([JPEGFixture.xmp(xmp)], base: try JPEGFixture.base()))
        #expect(prepared.bytes.contains(Array("image/jpeg".utf8)), "the rest of the packet went too")
        #expect(prepared.detectorDrops == 0)
    }

    @Test func xmpWithoutLocation_isLeftAsItWas() throws {
        let xmp = JPEGFixture.packet(#"<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="GPSMapper"/>"#)
        let jpeg = JPEGFixture.with([JPEGFixture.xmp(xmp)], base: try JPEGFixture.base())
        #expect(try prepareJPEG(jpeg, policy: .removeLocation).bytes == jpeg)
    }

    @Test("XMP under headers other than the canonical one", arguments: ["XMP\u{0}", "", "http://example.com/xmp\u{0}"])
    func xmpUnderAnyHeader_goes(_ header: String) throws {
        let xmp = JPEGFixture.packet(#"<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="48.8584N"/>"#)
        _ = try preparedClean(JPEGFixture.with([JPEGFixture.segment(0xE1, Array((header + xmp).utf8))], base: try JPEGFixture.base()))
    }

    @Test func extendedXMP_splitInsideAName_isJudgedWhole() throws {
        let guid = Array("0123456789ABCDEF0123456789ABCDEF".utf8)
        let full = Array(JPEGFixture.packet(#"<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="48.8584N"/>"#).utf8)
        let split = full.count / 2 + 40 // inside "GPSLatitude" or its value
        func part(_ range: Range<Int>) -> [UInt8] {
            JPEGFixture.segment(0xE1, Array("http://ns.adobe.com/xmp/extension/\u{0}".utf8) + guid
                                + Builder.le(full.count, 4).reversed() + Builder.le(range.lowerBound, 4).reversed() + full[range])
        }
        let main = JPEGFixture.xmp(JPEGFixture.packet(
            #"<rdf:Description xmlns:xmpNote="http://ns.adobe.com/xmp/note/" xmpNote:HasExtendedXMP="0123456789ABCDEF0123456789ABCDEF"/>"#))
        let jpeg = JPEGFixture.with([main, part(split..<full.count), part(0..<split)], base: try JPEGFixture.base())
        let prepared = try preparedClean(jpeg)
        #expect(!prepared.bytes.contains(Array("HasExtendedXMP".utf8)))
        #expect(!prepared.bytes.contains(Array("xmp/extension".utf8)))
    }

    @Test func photoshopResources_loseTheirEXIFAndXMPLocations() throws {
        func resource(_ id: Int, _ data: [UInt8]) -> [UInt8] {
            Array("8BIM".utf8) + [UInt8(id >> 8), UInt8(id & 0xFF), 0, 0] + Builder.le(data.count, 4).reversed()
                + data + (data.count % 2 == 1 ? [0] : [])
        }
        let iptc = resource(0x0404, [0x1C, 0x02, 0x78, 0x00, 0x05] + Array("hello".utf8))
        let xmp = Array(JPEGFixture.packet(#"<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="48.8584N"/>"#).utf8)
        let app13 = JPEGFixture.segment(0xED, Array("Photoshop 3.0\u{0}".utf8) + iptc + resource(0x0422, Self.exifWithGPS()) + resource(0x0424, xmp))
        let prepared = try preparedClean(JPEGFixture.with([app13], base: try JPEGFixture.base()))
        #expect(prepared.bytes.contains(Array("hello".utf8)), "the IPTC resource went too")
    }

    @Test func secondImage_isScrubbedToo_andWhatFollowsItGoes() throws {
        let base = try JPEGFixture.base()
        let second = JPEGFixture.with([JPEGFixture.exif(Self.exifWithGPS())], base: base)
        let jpeg = JPEGFixture.with([JPEGFixture.exif(Self.exifWithGPS())], base: base) + second + Array("<html>48.8584</html>".utf8)
        let prepared = try preparedClean(jpeg)
        #expect(prepared.bytes.count > 2 * base.count, "the second image went")
        #expect(!prepared.bytes.contains(Array("<html>".utf8)))
    }

    @Test func metadataBetweenScans_goes() throws {
        let jpeg = try testImageBytes("progressive.jpg")
        let plain = try JPEGSegments(jpeg)
        let secondScan = try #require(jpeg.indices.dropFirst(plain.frameStart + 2).first { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xDA })
        let hidden = JPEGFixture.xmp(JPEGFixture.packet(#"<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="48.8584N"/>"#))
        let prepared = try preparedClean(Array(jpeg[..<secondScan]) + hidden + Array(jpeg[secondScan...]))
        #expect(prepared.bytes == jpeg)
    }

    @Test("orientation out of range becomes 1", arguments: [0, 9, 65535])
    func orientationOutOfRange_isRewrittenToOne(_ value: Int) throws {
        let tiff = Builder([Builder.short(0x0112, value)]).build()
        let prepared = try prepareJPEG(JPEGFixture.with([JPEGFixture.exif(tiff)], base: try JPEGFixture.base()), policy: .removeLocation)
        let segment = try #require(try JPEGSegments(prepared.bytes).header.first { $0.marker == 0xE1 })
        let directory = try #require(TIFFDirectory(prepared.bytes, base: segment.payloadStart + 6, end: segment.end))
        #expect(directory.ifd0.entry(0x0112).flatMap { directory.value(of: $0, in: prepared.bytes) } == 1)
        #expect(prepared.orientationApplied == 1)
    }

    @Test func stripAll_keepsOnlyTheProfile_plainJFIF_andAdobe() throws {
        let jfifWithThumbnail = JPEGFixture.segment(0xE0, Array("JFIF\u{0}".utf8) + [1, 2, 0, 0, 1, 0, 1, 1, 1] + [0xA1, 0xB2, 0xC3])
        let jfxx = JPEGFixture.segment(0xE0, Array("JFXX\u{0}".utf8) + [0x10] + [0xFF, 0xD8, 0xFF, 0xD9])
        let icc = JPEGFixture.segment(0xE2, Array("ICC_PROFILE\u{0}".utf8) + [1, 1] + Array(repeating: 7, count: 20))
        let adobe = JPEGFixture.segment(0xEE, Array("Adobe".utf8) + [0, 100, 0, 0, 0, 0, 1])
        let comment = JPEGFixture.segment(0xFE, Array("a comment".utf8))
        let base = try JPEGFixture.base()
        let jpeg = JPEGFixture.with([jfifWithThumbnail, jfxx, icc, adobe, comment, JPEGFixture.exif(Self.exifWithGPS())], base: base)
            + base
        let prepared = try prepareJPEG(jpeg, policy: .keepColourProfileOnly)
        let markers = try JPEGSegments(prepared.bytes).header.filter(\.isMetadata)
        #expect(markers.count == 3 + (try JPEGSegments(base).header.filter(\.isMetadata).count))
        #expect(!prepared.bytes.contains(Array("JFXX".utf8)) && !prepared.bytes.contains(Array("a comment".utf8)))
        #expect(!prepared.bytes.contains([0xA1, 0xB2, 0xC3]) && prepared.bytes.contains(Array("ICC_PROFILE".utf8)))
        #expect(try JPEGSegments(prepared.bytes).imageEnd == prepared.bytes.count, "the second image stayed")
    }

    // Forms found by reading the code as an attacker would.

    @Test("markers with no length that readers skip are refused", arguments: [0x00, 0x30, 0x4F, 0x92, 0xD8] as [UInt8])
    func lengthlessMarker_isCorrupt(_ marker: UInt8) throws {
        let hidden = JPEGFixture.segment(marker, JPEGFixture.exif(Self.exifWithGPS()))
        #expect(throws: PrepareError.self) { try prepareJPEG(JPEGFixture.with([hidden], base: try JPEGFixture.base()), policy: .removeLocation) }
    }

    @Test("links readers follow besides Exif, Interop and SubIFDs", arguments: ["GlobalParameters", "Exif as SHORT", "Kodak"])
    func otherDirectoryLinks_areFollowed(_ form: String) throws {
        var root = Builder([Builder.ascii(0x010F, "Camera maker")])
        switch form {
        case "GlobalParameters":
            let global = Builder()
            global.links = [(0x8825, [Builder.gps()])]
            root.links = [(0x0190, [global])]
        case "Exif as SHORT":
            // IFD0 at 8 holds two entries (2 + 24 + 4 bytes), so the next directory laid out
            // starts at 38; it is linked only by the SHORT pointer and a private tag no reader follows.
            root = Builder([Builder.Entry(tag: 0x8769, type: 3, count: 1, data: Builder.le(38, 2) + [0, 0])])
            let exif = Builder()
            exif.links = [(0x8825, [Builder.gps()])]
            root.links = [(0xC000, [exif])]
        default:
            root.links = [(0x8290, [Builder([Builder.ascii(0x0402, "48.8584N 2.2945E")])])]
        }
        let prepared = try prepareJPEG(JPEGFixture.with([JPEGFixture.exif(root.build())], base: try JPEGFixture.base()), policy: .removeLocation)
        #expect(LocationDetector.findings(in: prepared.bytes).isEmpty)
        #expect(!prepared.bytes.contains(Builder.latitudeBytes) && !prepared.bytes.contains(Self.position), "\(form)")
    }

    @Test func utf16XMPInPhotoshopResources_goes() throws {
        let xmp = JPEGFixture.packet(#"<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="48.8584N"/>"#)
        let wide: [UInt8] = [0xFF, 0xFE] + xmp.utf16.flatMap { unit -> [UInt8] in [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let size: [UInt8] = Builder.le(wide.count, 4).reversed()
        let resource: [UInt8] = Array("8BIM".utf8) + [0x04, 0x24, 0, 0] + size + wide
        let prepared = try prepareJPEG(JPEGFixture.with([JPEGFixture.segment(0xED, Array("Photoshop 3.0\u{0}".utf8) + resource)],
                                                        base: try JPEGFixture.base()), policy: .removeLocation)
        #expect(!prepared.bytes.contains(Array("8BIM".utf8)))
    }

    @Test func photoshopResourcesSplitAcrossSegments_go() throws {
        let exif = Self.exifWithGPS()
        let resource = Array("8BIM".utf8) + [0x04, 0x22, 0, 0] + Builder.le(exif.count, 4).reversed() + exif
        let cut = 20
        let first = JPEGFixture.segment(0xED, Array("Photoshop 3.0\u{0}".utf8) + resource[..<cut])
        let second = JPEGFixture.segment(0xED, Array("Photoshop 3.0\u{0}".utf8) + resource[cut...])
        let prepared = try prepareJPEG(JPEGFixture.with([first, second], base: try JPEGFixture.base()), policy: .removeLocation)
        #expect(!prepared.bytes.contains(Array("Photoshop".utf8)) && !prepared.bytes.contains(Builder.latitudeBytes))
    }

    @Test func extendedXMPWithChunksOffTheChain_goes() throws {
        let guid = Array("0123456789ABCDEF0123456789ABCDEF".utf8)
        func part(_ offset: Int, _ text: String) -> [UInt8] {
            JPEGFixture.segment(0xE1, Array("http://ns.adobe.com/xmp/extension/\u{0}".utf8) + guid
                                + Builder.le(100, 4).reversed() + Builder.le(offset, 4).reversed() + Array(text.utf8))
        }
        let prepared = try prepareJPEG(JPEGFixture.with([part(0, "<a exif:GP"), part(1, "x"), part(10, "SLatitude=\"1\"/>")],
                                                        base: try JPEGFixture.base()), policy: .removeLocation)
        #expect(!prepared.bytes.contains(Array("xmp/extension".utf8)))
    }

    @Test func flirBlock_goes() throws {
        let flir = JPEGFixture.segment(0xE1, Array("FLIR\u{0}".utf8) + [1, 0, 0] + Array(repeating: 0x42, count: 32))
        let prepared = try prepareJPEG(JPEGFixture.with([flir], base: try JPEGFixture.base()), policy: .removeLocation)
        #expect(!prepared.bytes.contains(Array("FLIR".utf8)))
    }

    @Test func multiPictureEntryPointingAtNoImage_isCleared() throws {
        // One MPF entry for the primary image, one pointing into the file's own tables.
        var entries = Builder.le(0x2003_0000, 4) + Builder.le(0, 4) + Builder.le(0, 4) + [0, 0, 0, 0]
        entries += Builder.le(2, 4) + Builder.le(40, 4) + Builder.le(60, 4) + [0, 0, 0, 0]
        let index = Builder([Builder.Entry(tag: 0xB000, type: 7, count: 4, data: Array("0100".utf8)),
                             Builder.Entry(tag: 0xB001, type: 4, count: 1, data: Builder.le(2, 4)),
                             Builder.Entry(tag: 0xB002, type: 7, count: 32, data: entries)])
        let jpeg = JPEGFixture.with([JPEGFixture.segment(0xE2, Array("MPF\u{0}".utf8) + index.build())], base: try JPEGFixture.base())
        let prepared = try prepareJPEG(jpeg, policy: .removeLocation)
        let segment = try #require(try JPEGSegments(prepared.bytes).header.first { $0.marker == 0xE2 })
        let directory = try #require(TIFFDirectory(prepared.bytes, base: segment.payloadStart + 4, end: segment.end))
        let at = try #require(directory.ifd0.entry(0xB002)?.valueOffset)
        #expect(prepared.bytes.reader.narrowed(to: at..<(at + 32)).u32(at + 16 + 8) == 0, "the stray entry still points")
    }
}
