import Foundation
import Testing
@testable import ImageKit

@Suite struct PNGChunksTests {
    @Test func corruptCRC_isRejected() throws {
        var bytes = PNGChunk.signature
        for chunk in try #require(PNGChunk.read(try testImageBytes("animated-3-frames-apng.png"))) { chunk.write(to: &bytes) }
        bytes[40] ^= 0xFF
        #expect(PNGChunk.read(bytes) == nil)
    }
}
