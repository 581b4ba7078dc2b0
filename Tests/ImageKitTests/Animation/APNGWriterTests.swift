import Foundation
import Testing
@testable import ImageKit

@Suite(.vips) struct APNGWriterTests {
    /// Frames of a 6×4 RGBA canvas: a grey background with one square moved.
    static func frame(squareAt x: Int, alpha: UInt8 = 255) -> FramePixels {
        var bytes = [UInt8](repeating: 0, count: 6 * 4 * 4)
        for pixel in 0..<24 { bytes[pixel * 4] = 90; bytes[pixel * 4 + 1] = 90; bytes[pixel * 4 + 2] = 90; bytes[pixel * 4 + 3] = 255 }
        for row in 1...2 { for column in x...(x + 1) { bytes[(row * 6 + column) * 4] = 250; bytes[(row * 6 + column) * 4 + 3] = alpha } }
        return FramePixels(bytes: bytes, width: 6, height: 4, bands: 4)
    }

    static func encoder(_ pixels: FramePixels) throws(ImageError) -> [UInt8] {
        try encode(VipsImageHandle.from(pixels), as: .png, png: .standard)
    }

    @Test func laterFrames_areTheChangedRectangle_blendedOver_whenWhatChangedIsOpaque() throws {
        var writer = APNGWriter(loops: 0, frames: 3, encode: Self.encoder)
        try writer.append(Self.frame(squareAt: 0), delay: 40)
        try writer.append(Self.frame(squareAt: 1), delay: 40)
        try writer.append(Self.frame(squareAt: 1), delay: 70)
        let structure = try APNGStructure(try #require(PNGChunk.read(try writer.finish())), maxFrames: 500)
        let frames = structure.frames
        #expect(frames.count == 3 && frames.map(\.delay) == [40, 40, 70])
        #expect(frames[0].width == 6 && frames[0].height == 4)
        // Columns 0…2 of rows 1…2 changed; an unchanged frame is one pixel.
        #expect((frames[1].x, frames[1].y, frames[1].width, frames[1].height) == (0, 1, 3, 2))
        #expect(frames[1].blend == .over && frames[1].dispose == .none)
        #expect((frames[2].width, frames[2].height) == (1, 1))
    }

    /// Composed again by the APNG reader, every frame is the frame that was written, pixel for pixel.
    @Test func framesComposedFromTheirRectangles_areTheFramesWritten() throws {
        let written = [Self.frame(squareAt: 0), Self.frame(squareAt: 1), Self.frame(squareAt: 1, alpha: 128),
                       Self.frame(squareAt: 1, alpha: 128), Self.frame(squareAt: 4), Self.frame(squareAt: 0, alpha: 0)]
        var writer = APNGWriter(loops: 0, frames: written.count, encode: Self.encoder)
        for frame in written { try writer.append(frame, delay: 10) }
        var composed = try APNGFrames(APNGStructure(try #require(PNGChunk.read(try writer.finish())), maxFrames: 500))
        for (index, frame) in written.enumerated() {
            let next = try #require(try composed.next())
            #expect(try next.image.pixels() == frame, "frame \(index)")
        }
    }

    @Test func changedPixelsThatAreNotOpaque_replaceTheCanvas() {
        let region = FrameDelta.region(of: Self.frame(squareAt: 2, alpha: 128), after: Self.frame(squareAt: 2))
        #expect(region.blend == .source)
        #expect(region.rectangle == .init(x: 2, y: 1, width: 2, height: 2))
        #expect(region.pixels == Self.frame(squareAt: 2, alpha: 128).cropped(to: region.rectangle))
    }

    @Test func overBlending_clearsOnlyUnchangedPixels() {
        let region = FrameDelta.region(of: Self.frame(squareAt: 1), after: Self.frame(squareAt: 0))
        #expect(region.blend == .over)
        // Row 1 of the rectangle (x 0…2): x=0 changed back to grey, x=1 unchanged (square both times), x=2 newly square.
        let row = Array(region.pixels.bytes[0..<12])
        #expect(row == [90, 90, 90, 255, 0, 0, 0, 0, 250, 90, 90, 255])
    }

    @Test func indexedFrames_shareOnePalette_writtenBeforeTheImageData() throws {
        var palette = IndexedPalette()
        palette.learn(from: Self.frame(squareAt: 0))
        var writer = APNGWriter(loops: 0, frames: 2, encode: Self.encoder)
        try writer.append(palette.indices(of: Self.frame(squareAt: 0)), delay: 40)
        try writer.append(palette.indices(of: Self.frame(squareAt: 3)), delay: 40)
        let chunks = try #require(PNGChunk.read(try writer.finish(palette: palette)))
        #expect(chunks.map(\.type).prefix(5) == ["IHDR", "acTL", "PLTE", "tRNS", "fcTL"])
        #expect(chunks[0].data[chunks[0].data.startIndex + 9] == 3, "colour type: indexed")
        #expect(Array(chunks[2].data) == [0, 0, 0, 90, 90, 90, 250, 90, 90])
    }

    @Test func indexedPalette_mapsUnknownColoursToTheNearest_andLowAlphaToTransparent() {
        var palette = IndexedPalette()
        palette.learn(from: FramePixels(bytes: [200, 0, 0, 255, 0, 0, 200, 255], width: 2, height: 1, bands: 4))
        let mapped = palette.indices(of: FramePixels(bytes: [190, 10, 5, 255, 10, 0, 180, 255, 1, 2, 3, 100],
                                                     width: 3, height: 1, bands: 4))
        #expect(mapped.bytes == [1, 2, IndexedPalette.transparent])
    }
}
