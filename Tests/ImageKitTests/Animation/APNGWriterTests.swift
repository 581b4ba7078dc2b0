import Foundation
import Testing
@testable import ImageKit

@Suite struct APNGWriterTests {
    @Test func writer_roundTrips_throughTheReader() throws {
        let source = try APNGStructure(try #require(PNGChunk.read(try testImageBytes("animated-3-frames-apng.png"))), maxFrames: 500)
        var writer = APNGWriter(loops: 3, frames: 3)
        for frame in source.frames { try writer.append(png: source.standalonePNG(of: frame), delay: 40) }
        let written = try #require(PNGChunk.read(try writer.finish()))
        let again = try APNGStructure(written, maxFrames: 500)
        #expect(again.frames.count == 3 && again.loops == 3)
        #expect(again.frames.map(\.delay) == [40, 40, 40])
    }
}
