import Testing
@testable import JPEGMetadata

/// The segment walker on real files and hostile ones.
@Suite struct JPEGSegmentsTests {
    @Test func segments_areFound_andTheImageEnds() throws {
        let jpeg = try testImageBytes("gps-tagged.jpg")
        let segments = try JPEGSegments(jpeg)
        #expect(segments.width == 320 && segments.height == 213)
        #expect(segments.imageEnd == jpeg.count)
        #expect(segments.header.contains { $0.marker == 0xE1 })
    }

    @Test func truncatedScan_isRejected() throws {
        let jpeg = try testImageBytes("photo-1024x683.jpg")
        #expect(throws: JPEGSegments.ParseError.self) { try JPEGSegments(Array(jpeg.prefix(jpeg.count / 2))) }
    }

    @Test func segmentLongerThanTheFile_isRejected() {
        let hostile: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF] + Array(repeating: 0, count: 200)
        #expect(throws: JPEGSegments.ParseError.self) { try JPEGSegments(hostile) }
    }

    @Test func notAJPEG_isRejected() {
        #expect(throws: JPEGSegments.ParseError.notJPEG) { try JPEGSegments([0x89, 0x50, 0x4E, 0x47]) }
    }

    @Test func metadataBetweenScans_isFound() throws {
        let jpeg = try testImageBytes("progressive.jpg")
        let plain = try JPEGSegments(jpeg)
        #expect(plain.scanMetadata.isEmpty)
        // An APP1 put just before the second SOS.
        let secondScan = try #require(jpeg.indices.dropFirst(plain.frameStart + 2).first { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xDA })
        let hidden = JPEGFixture.segment(0xE1, Array("hidden".utf8))
        let crafted = Array(jpeg[..<secondScan]) + hidden + Array(jpeg[secondScan...])
        let segments = try JPEGSegments(crafted)
        #expect(segments.scanMetadata.map(\.start) == [secondScan])
        #expect(segments.imageEnd == crafted.count)
    }

    @Test func scansAreCounted_pastBytesThatAreNotMarkers() throws {
        let jpeg = try testImageBytes("progressive.jpg")
        let scans = jpeg.withUnsafeBytes(JPEGSegments.scanCount)
        #expect(scans > 1)
        // Bytes between segments that libjpeg skips with a warning must not stop the count.
        let firstScan = try JPEGSegments(jpeg).frameStart
        let padded = Array(jpeg[..<firstScan]) + [0x00, 0x11, 0x22] + Array(jpeg[firstScan...])
        #expect(padded.withUnsafeBytes(JPEGSegments.scanCount) == scans)
    }
}
