import Foundation
import Testing
@testable import ImageKit

@Suite struct ExifEditorTests {
    @Test func gpsRemoval_unlinksTheDirectory_andKeepsOtherTags() throws {
        var jpeg = try testImageBytes("gps-tagged.jpg")
        let segment = try #require(try JPEGSegments(jpeg).header.first { $0.marker == 0xE1 && jpeg.hasSignature(JPEGSegments.exifSignature, at: $0.payloadStart) })
        let directory = try #require(TIFFDirectory(jpeg, base: segment.payloadStart + 6, end: segment.end))
        #expect(directory.gps != nil && directory.isSafeToEdit)
        let entriesBefore = directory.ifd0.entries.map(\.tag).filter { $0 != TIFFDirectory.Tag.gpsPointer }
        #expect(ExifEditor(directory: directory).removeGPS(&jpeg))
        let after = try #require(TIFFDirectory(jpeg, base: segment.payloadStart + 6, end: segment.end))
        #expect(after.gps == nil && after.ifd0.entry(TIFFDirectory.Tag.gpsPointer) == nil)
        #expect(after.ifd0.entries.map(\.tag) == entriesBefore)
    }
}
