import Foundation
import Testing
@testable import ImageKit

@Suite struct LibexifCrossCheckTests {
    @Test func libexif_seesGPSBefore_andNoneAfterRemoval() throws {
        var jpeg = try testImageBytes("gps-tagged.jpg")
        let segment = try #require(try JPEGSegments(jpeg).header.first { $0.marker == 0xE1 && jpeg.hasSignature(JPEGSegments.exifSignature, at: $0.payloadStart) })
        let range = segment.payloadStart..<segment.end
        #expect(LibexifCrossCheck.findsGPS(in: jpeg, range: range))
        let directory = try #require(TIFFDirectory(jpeg, base: segment.payloadStart + 6, end: segment.end))
        _ = ExifEditor(directory: directory).removeGPS(&jpeg)
        #expect(!LibexifCrossCheck.findsGPS(in: jpeg, range: range))
    }
}
