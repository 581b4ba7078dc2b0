import Bytes

/// Writes an animated PNG as frames arrive: each frame is an ordinary PNG
/// whose image data moves into the animation, the first frame's as IDAT (the
/// image non-animating viewers show), the others as fdAT behind their fcTL.
/// Only the growing output is held, never the frames.
struct APNGWriter {
    private var output: [UInt8] = []
    private var header: [UInt8]?
    private var sequence: UInt32 = 0
    private(set) var frameCount = 0
    let expectedFrames: Int
    let loops: Int

    init(loops: Int, frames: Int) {
        self.loops = loops
        self.expectedFrames = frames
    }

    /// Adds a frame; every frame must have the same size and pixel format as the first.
    mutating func append(png: [UInt8], delay: Int) throws(ImageError) {
        guard frameCount < expectedFrames, let chunks = PNGChunk.read(png), let ihdr = chunks.first, ihdr.type == "IHDR",
              let width = ihdr.data.reader.u32(0), let height = ihdr.data.reader.u32(4)
        else { throw .failed(detail: "frame is not a PNG, or one frame too many") }
        if let header {
            guard header.elementsEqual(ihdr.data) else { throw .failed(detail: "frames differ in size or format") }
        } else {
            header = Array(ihdr.data)
            output = PNGChunk.signature
            ihdr.write(to: &output)
            var actl: [UInt8] = []
            actl.appendBigEndian(UInt32(expectedFrames))
            actl.appendBigEndian(UInt32(loops))
            PNGChunk.write(type: "acTL", data: actl, to: &output)
        }
        var fctl: [UInt8] = []
        fctl.appendBigEndian(sequence)
        fctl.appendBigEndian(UInt32(width))
        fctl.appendBigEndian(UInt32(height))
        fctl.appendBigEndian(UInt32(0))
        fctl.appendBigEndian(UInt32(0))
        // Milliseconds over a denominator of 1000, clamped to what 16 bits hold.
        fctl.appendBigEndian(UInt16(min(max(delay, 0), 65535)))
        fctl.appendBigEndian(UInt16(1000))
        fctl.append(contentsOf: [0, 0]) // dispose none, blend source: every frame is a full canvas
        PNGChunk.write(type: "fcTL", data: fctl, to: &output)
        sequence += 1
        for chunk in chunks where chunk.type == "IDAT" {
            if frameCount == 0 {
                chunk.write(to: &output)
            } else {
                var fdat: [UInt8] = []
                fdat.reserveCapacity(chunk.data.count + 4)
                fdat.appendBigEndian(sequence)
                fdat.append(contentsOf: chunk.data)
                PNGChunk.write(type: "fdAT", data: fdat, to: &output)
                sequence += 1
            }
        }
        frameCount += 1
    }

    /// Bytes written so far.
    var byteCount: Int { output.count }

    /// The finished file; every announced frame must have been added.
    consuming func finish() throws(ImageError) -> [UInt8] {
        guard frameCount == expectedFrames, frameCount > 0 else {
            throw .failed(detail: "animation announced \(expectedFrames) frames, got \(frameCount)")
        }
        PNGChunk.write(type: "IEND", data: [UInt8](), to: &output)
        return output
    }
}
