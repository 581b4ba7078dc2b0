import Foundation
import Testing
@testable import ImageKit

/// The facade end to end on real files: fit, avatars and inspection.
@Suite(.vips) struct ImageProcessorTests {
    let processor = try! ImageProcessor(limits: ImageLimits(maxPixels: 50_000_000, maxFrames: 500, maxTotalPixels: 200_000_000))

    @Test func fit_whenLargerThanBox_keepsAspect() throws {
        let result = try processor.fit(try testImage("photo-1024x683.jpg"), box: 300)
        #expect(result.output.width == 300 && result.output.height == 200)
        #expect(result.output.format == .jpeg)
    }

    @Test func fit_whenSmallerThanBox_keepsSize() throws {
        let result = try processor.fit(try testImage("plain.png"), box: 1000)
        #expect(result.output.width == 320 && result.output.height == 213)
    }

    @Test func fit_appliesOrientationFirst() throws {
        let result = try processor.fit(try testImage("orientation-6.jpg"), box: 160)
        #expect(result.info.orientation == 6)
        #expect(abs(result.output.width - 106) <= 1 && result.output.height == 160)
    }

    @Test func avatars_ofALargePhoto_areAllSix() throws {
        let result = try processor.avatars(try testImage("photo-1024x683.jpg"))
        #expect(result.avatars.map(\.size) == [24, 48, 73, 128, 256, 512])
    }

    @Test func avatars_ofOnePixel_areTheMandatoryThree() throws {
        let result = try processor.avatars(try testImage("tiny-1x1.png"))
        #expect(result.avatars.map(\.size) == [24, 48, 73])
    }

    @Test func avatars_ofSVG_areAllSix() throws {
        #expect(try processor.avatars(try testImage("logo.svg")).avatars.count == 6)
    }

    @Test func icnsAndIco_useTheLargestEntry() throws {
        #expect(try processor.inspect(try testImage("icon.icns")).width == 512)
        #expect(try processor.inspect(try testImage("multi-size.ico")).width == 128)
    }

    @Test func pixelBomb_isRefusedBeforeDecoding() throws {
        #expect(throws: ImageError.tooManyPixels(limit: 50_000_000)) {
            try processor.inspect(try testImage("pixel-bomb-10000x10000.png"))
        }
    }

    @Test func text_isUnsupported() {
        #expect(throws: ImageError.self) { try processor.inspect(ImageBytes(copying: Array("plain text".utf8))) }
    }

    @Test func truncatedJPEG_failsInsteadOfGreyFilling() throws {
        #expect(throws: ImageError.self) { try processor.fit(try testImage("truncated.jpg"), box: 100) }
    }
}
