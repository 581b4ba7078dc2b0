import Foundation
import Testing
@testable import ImageKit

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
}
