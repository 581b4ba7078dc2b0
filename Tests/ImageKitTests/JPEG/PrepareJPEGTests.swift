import Foundation
import Testing
@testable import ImageKit

/// prepareJPEG as a whole, on generated files.
@Suite struct PrepareJPEGTests {
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

    @Test func trailingExifShorterThanItsSignature_isNeutralised_notACrash() throws {
        // Found by fuzzing: an APP1 after the image whose length (2) cannot hold "Exif\0\0".
        let jpeg = try testImageBytes("tiny-1x1.jpg") + [0xFF, 0xE1, 0x00, 0x02] + Array("Exif".utf8) + [0, 0] + Array(repeating: 0x41, count: 16)
        let prepared = try prepareJPEG(jpeg, policy: .removeLocation)
        #expect(!prepared.bytes.hasSignature(JPEGSegments.exifSignature, at: try JPEGSegments(jpeg).imageEnd + 4))
    }
}
