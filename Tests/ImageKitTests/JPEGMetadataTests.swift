import Foundation
import Testing
@testable import ImageKit

@Suite struct XMPLocationScrubberTests {
    func scrub(_ xml: String) -> (String, Bool) {
        var bytes = Array(xml.utf8)
        let changed = XMPLocationScrubber.scrub(&bytes, in: 0..<bytes.count)
        #expect(bytes.count == xml.utf8.count, "length must not change")
        return (String(decoding: bytes, as: UTF8.self), changed)
    }

    @Test func attributes_areBlanked_othersKept() {
        let (out, changed) = scrub(#"<rdf:Description exif:GPSLatitude="48,51.5N" exif:GPSLongitude='2,17E' tiff:Make="Cam"/>"#)
        #expect(changed)
        #expect(!out.contains("GPS") && !out.contains("48,51"))
        #expect(out.contains(#"tiff:Make="Cam""#) && out.hasPrefix("<rdf:Description ") && out.hasSuffix("/>"))
    }

    @Test func elements_includingNested_areBlanked() {
        let xml = "<x><exif:GPSLatitude>43,28N</exif:GPSLatitude><exif:GPSCoordinates><rdf:Seq><rdf:li>1</rdf:li></rdf:Seq></exif:GPSCoordinates><dc:title>Keep</dc:title><exif:GPSVersionID/></x>"
        let (out, changed) = scrub(xml)
        #expect(changed)
        #expect(!out.contains("GPS") && !out.contains("43,28") && !out.contains("rdf:li"))
        #expect(out.contains("<dc:title>Keep</dc:title>") && out.hasPrefix("<x>") && out.hasSuffix("</x>"))
    }

    @Test func unterminatedProperty_isLeftAlone_andNothingCrashes() {
        #expect(scrub(#"<a exif:GPSLatitude="48"#).1 == false)
        #expect(scrub("<exif:GPSLatitude>no end").1 == false)
        #expect(scrub(":GPS").1 == false)
    }

    @Test func noGPS_changesNothing() {
        let xml = #"<rdf:Description xmp:CreatorTool="GPSMapper" dc:format="image/jpeg"/>"#
        #expect(scrub(xml) == (xml, false))
    }
}

@Suite struct JPEGStructureTests {
    func bytes(_ name: String) throws -> [UInt8] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return [UInt8](try Data(contentsOf: root.appendingPathComponent("TestImages/\(name)")))
    }

    @Test func segments_areFound_andTheImageEnds() throws {
        let jpeg = try bytes("gps-tagged.jpg")
        let segments = try JPEGSegments(jpeg)
        #expect(segments.width == 320 && segments.height == 213)
        #expect(segments.imageEnd == jpeg.count)
        #expect(segments.header.contains { $0.marker == 0xE1 })
    }

    @Test func truncatedScan_isRejected() throws {
        let jpeg = try bytes("photo-1024x683.jpg")
        #expect(throws: JPEGSegments.ParseError.self) { try JPEGSegments(Array(jpeg.prefix(jpeg.count / 2))) }
    }

    @Test func segmentLongerThanTheFile_isRejected() {
        let hostile: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF] + Array(repeating: 0, count: 200)
        #expect(throws: JPEGSegments.ParseError.self) { try JPEGSegments(hostile) }
    }

    @Test func trailingExifShorterThanItsSignature_isNeutralised_notACrash() throws {
        // Found by fuzzing: an APP1 after the image whose length (2) cannot hold "Exif\0\0".
        let jpeg = try bytes("tiny-1x1.jpg") + [0xFF, 0xE1, 0x00, 0x02] + Array("Exif".utf8) + [0, 0] + Array(repeating: 0x41, count: 16)
        let prepared = try prepareJPEG(jpeg, policy: .removeLocation)
        #expect(!prepared.bytes.hasSignature(JPEGSegments.exifSignature, at: try JPEGSegments(jpeg).imageEnd + 4))
    }

    @Test func notAJPEG_isRejected() {
        #expect(throws: JPEGSegments.ParseError.notJPEG) { try JPEGSegments([0x89, 0x50, 0x4E, 0x47]) }
    }

    @Test func gpsRemoval_unlinksTheDirectory_andKeepsOtherTags() throws {
        var jpeg = try bytes("gps-tagged.jpg")
        let segment = try #require(try JPEGSegments(jpeg).header.first { $0.marker == 0xE1 && jpeg.hasSignature(JPEGSegments.exifSignature, at: $0.payloadStart) })
        let directory = try #require(TIFFDirectory(jpeg, base: segment.payloadStart + 6, end: segment.end))
        #expect(directory.gps != nil && directory.isSafeToEdit)
        let entriesBefore = directory.ifd0.entries.map(\.tag).filter { $0 != TIFFDirectory.Tag.gpsPointer }
        #expect(ExifEditor(directory: directory).removeGPS(&jpeg))
        let after = try #require(TIFFDirectory(jpeg, base: segment.payloadStart + 6, end: segment.end))
        #expect(after.gps == nil && after.ifd0.entry(TIFFDirectory.Tag.gpsPointer) == nil)
        #expect(after.ifd0.entries.map(\.tag) == entriesBefore)
    }

    @Test func libexif_seesGPSBefore_andNoneAfterRemoval() throws {
        var jpeg = try bytes("gps-tagged.jpg")
        let segment = try #require(try JPEGSegments(jpeg).header.first { $0.marker == 0xE1 && jpeg.hasSignature(JPEGSegments.exifSignature, at: $0.payloadStart) })
        let range = segment.payloadStart..<segment.end
        #expect(LibexifCrossCheck.findsGPS(in: jpeg, range: range))
        let directory = try #require(TIFFDirectory(jpeg, base: segment.payloadStart + 6, end: segment.end))
        _ = ExifEditor(directory: directory).removeGPS(&jpeg)
        #expect(!LibexifCrossCheck.findsGPS(in: jpeg, range: range))
    }

    @Test func loopingDirectories_end_andUnreachableGPS_isUnsafe() {
        // II*, IFD0 at 8 with one entry: GPS pointer to offset 8 (IFD0 itself); next IFD -> 8.
        var tiff: [UInt8] = [0x49, 0x49, 42, 0, 8, 0, 0, 0, 1, 0]
        tiff += [0x25, 0x88, 4, 0, 1, 0, 0, 0, 8, 0, 0, 0]
        tiff += [8, 0, 0, 0]
        let directory = TIFFDirectory(tiff, base: 0, end: tiff.count)
        #expect(directory != nil)
        #expect(directory?.isSafeToEdit == false)
    }

    @Test func preparing_anUprightFileWithoutGPS_returnsTheSameBytes() throws {
        let jpeg = try bytes("orientation-1.jpg")
        let prepared = try prepareJPEG(jpeg, policy: .removeLocation)
        #expect(prepared.bytes == jpeg)
        #expect(!prepared.gpsRemoved && prepared.orientationApplied == 1)
    }

    @Test func preparing_rotates_andReportsTheTrim() throws {
        let prepared = try prepareJPEG(try bytes("orientation-6.jpg"), policy: .removeLocation)
        #expect(prepared.orientationApplied == 6)
        #expect(prepared.height == 320 && prepared.width + prepared.trimmedWidth == 213)
        #expect((0...15).contains(prepared.trimmedWidth))
    }
}
