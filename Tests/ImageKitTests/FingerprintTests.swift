import Testing
@testable import ImageKit

/// The fingerprints' arithmetic on fixed pixels, against values PyPI `blurhash` 1.1.4 and
/// `imagehash` 4.3.2 give for the same pixels (the integration tests compare every test image).
@Suite struct FingerprintTests {
    @Test func blurhash_matchesTheReference_onAFixedImage() {
        let rows: [[UInt8]] = [[255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255],
                               [0, 0, 0, 128, 128, 128, 255, 255, 0, 0, 255, 255],
                               [10, 20, 30, 200, 100, 50, 60, 70, 80, 90, 90, 90]]
        #expect(Blurhash.encode(rgb: rows.flatMap { $0 }, width: 4, height: 3) == "L}H.vF#6Z$-X_MnMvz=g%NkQ-M;9")
    }

    @Test func perceptualHashes_matchTheReference_onFixedGrids() {
        let square = (0..<32).flatMap { y in (0..<32).map { x in UInt8((x * 7 + y * 3) % 256) } }
        #expect(PerceptualHash.phash(grey: square) == "94294a5569baeb56")
        let grid = (0..<8).flatMap { y in (0..<9).map { x in UInt8((x * 29 + y * 13) % 256) } }
        #expect(PerceptualHash.dhash(grey: grid) == "fffffefefefdfdfb")
        #expect(PerceptualHash.distance("ffffffffffffffff", "fffffffffffffff0") == 4)
        #expect(PerceptualHash.luma(rgb: [255, 255, 255, 0, 0, 0, 255, 0, 0]) == [255, 0, 76])
    }

    @Test func dominantColour_isTheFullestBucketsMean() {
        let pixels: [UInt8] = [10, 10, 10, 12, 12, 12, 200, 0, 0]
        #expect(DominantColour.of(rgb: pixels) == "#0b0b0b")
        #expect(DominantColour.of(rgb: []) == "#000000")
    }

    @Test func webpMetadata_chunksGo_flagsCleared() throws {
        func chunk(_ id: String, _ payload: [UInt8]) -> [UInt8] {
            let size = UInt32(payload.count)
            return Array(id.utf8) + (0..<4).map { UInt8(truncatingIfNeeded: size >> (8 * UInt32($0))) } + payload
                + (payload.count % 2 == 1 ? [0] : [])
        }
        let body = chunk("VP8X", [0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0]) + chunk("VP8 ", [1, 2, 3]) + chunk("EXIF", [9, 9, 9, 9])
            + chunk("XMP ", [7])
        let size = UInt32(body.count + 4)
        let webp = Array("RIFF".utf8) + (0..<4).map { UInt8(truncatingIfNeeded: size >> (8 * UInt32($0))) } + Array("WEBP".utf8) + body
        let stripped = try stripWebPMetadata(webp)
        #expect(stripped.count == 12 + 18 + 12)
        #expect(stripped[20] == 0, "EXIF and XMP flags cleared")
        #expect(!String(decoding: stripped, as: UTF8.self).contains("EXIF"))
        #expect(Int(stripped[4]) == stripped.count - 8)
        #expect(throws: ImageError.self) { try stripWebPMetadata(Array(webp.prefix(20))) }
    }
}
