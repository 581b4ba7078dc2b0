import Testing
@testable import ImageKit

/// The JPEG 2000 resolution level: the smallest at which the image still covers the box.
@Suite(.vips) struct LoadThumbnailTests {
    @Test("levels", arguments: [
        (4000, 4000, 200, ThumbnailMode.fitInside, 4),   // 250 px still covers 200
        (4000, 4000, 250, .fitInside, 4),
        (4000, 4000, 251, .fitInside, 3),
        (4000, 1000, 512, .coverCentre, 0),              // the short side is already about the box
        (4000, 3000, 512, .coverCentre, 2),              // 750 px short side covers 512
        (300, 300, 1000, .fitInside, 0),                 // never enlarged from a reduced level
        (100_000, 100_000, 100, .fitInside, 5),          // at most five halvings
    ])
    func reductionLevel_keepsTheBoxCovered(_ width: Int, _ height: Int, _ box: Int, _ mode: ThumbnailMode, _ expected: Int) {
        #expect(reductionLevel(width: width, height: height, boxWidth: box, boxHeight: box, mode: mode) == expected)
    }

    @Test func jpeg2000_isFittedFromAReducedLevel() throws {
        let processor = try ImageProcessor(limits: ImageLimits(maxPixels: 50_000_000, maxFrames: 500, maxTotalPixels: 200_000_000))
        let result = try processor.fit(try testImage("photo.jp2"), box: 100)
        #expect(max(result.output.width, result.output.height) == 100)
    }
}
