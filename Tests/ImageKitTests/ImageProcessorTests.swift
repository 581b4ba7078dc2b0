import Foundation
import Testing
@testable import ImageKit

/// Starts libvips once for every test in the suite.
struct VipsTrait: SuiteTrait, TestScoping {
    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        try VipsRuntime.start(concurrency: 1)
        try await function()
    }
}

extension Trait where Self == VipsTrait {
    static var vips: Self { VipsTrait() }
}

func testImage(_ name: String) throws -> ImageBytes {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return ImageBytes(copying: [UInt8](try Data(contentsOf: root.appendingPathComponent("TestImages/\(name)"))))
}

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

@Suite struct PureLogicTests {
    @Test("avatar sizes", arguments: [
        (1, 1, false, [24, 48, 73]), (127, 500, false, [24, 48, 73]), (128, 128, false, [24, 48, 73, 128]),
        (300, 600, false, [24, 48, 73, 128, 256]), (4000, 3000, false, [24, 48, 73, 128, 256, 512]),
        (10, 10, true, [24, 48, 73, 128, 256, 512]),
    ])
    func avatarSizes_followTheShortSide(_ width: Int, _ height: Int, _ vector: Bool, _ expected: [Int]) {
        #expect(avatarSizes(width: width, height: height, isVector: vector) == expected)
    }

    @Test func limits_catchOverflowingDimensions() {
        let limits = ImageLimits(maxPixels: 100, maxFrames: 5, maxTotalPixels: 300)
        let huge = ImageInfo(format: .png, width: Int.max / 2, height: 4, frames: 1, orientation: 1)
        #expect(throws: ImageError.tooManyPixels(limit: 100)) { try checkLimits(huge, limits) }
        let long = ImageInfo(format: .gif, width: 10, height: 10, frames: 4, orientation: 1)
        #expect(throws: ImageError.tooManyFrames(limit: 300)) { try checkLimits(long, limits) }
        let many = ImageInfo(format: .gif, width: 1, height: 1, frames: 6, orientation: 1)
        #expect(throws: ImageError.tooManyFrames(limit: 5)) { try checkLimits(many, limits) }
    }

    @Test func icoDirectory_rejectsEntriesOutsideTheFile() {
        var bytes: [UInt8] = [0, 0, 1, 0, 1, 0]
        bytes += [16, 16, 0, 0, 1, 0, 32, 0] + [0xFF, 0, 0, 0] + [22, 0, 0, 0]
        #expect(IcoDirectory(ImageBytes(copying: bytes)) == nil)
    }

    @Test func icnsContainer_ignoresChunksPastTheEnd() {
        let bytes: [UInt8] = Array("icns".utf8) + [0, 0, 0, 100] + Array("ic09".utf8) + [0xFF, 0xFF, 0xFF, 0xFF]
        #expect(IcnsContainer(ImageBytes(copying: bytes)) == nil)
    }
}
