import Bytes

/// Writes an animated PNG as frames arrive. The first frame is whole (its IDAT is
/// the image non-animating viewers show); each later one is the rectangle that
/// changed (`FrameDelta`), as fdAT behind its fcTL. Frames are RGBA, or palette
/// indices with one palette for the whole animation (written at the end, before
/// the first IDAT). Only the growing output and the previous frame are held.
struct APNGWriter {
    /// Encodes pixels as an ordinary 8-bit PNG (indices as greyscale: the same bytes).
    typealias Encoder = (FramePixels) throws(ImageError) -> [UInt8]

    private var ihdr: [UInt8]?
    /// Bit depth, colour type, compression, filter, interlace of the first encoded frame.
    private var encodedFormat: [UInt8] = []
    private var body: [UInt8] = []
    private var previous: FramePixels?
    private var sequence: UInt32 = 0
    private(set) var frameCount = 0
    let expectedFrames: Int
    let loops: Int
    private let encode: Encoder

    init(loops: Int, frames: Int, encode: @escaping Encoder) {
        self.loops = loops
        self.expectedFrames = frames
        self.encode = encode
    }

    /// Adds a whole frame; every frame must have the size and bands of the first.
    mutating func append(_ frame: FramePixels, delay: Int) throws(ImageError) {
        guard frameCount < expectedFrames else { throw .failed(detail: "one frame too many") }
        if let previous, previous.width != frame.width || previous.height != frame.height || previous.bands != frame.bands {
            throw .failed(detail: "frames differ in size or format")
        }
        let region = FrameDelta.region(of: frame, after: previous)
        let chunks = try encodedChunks(region.pixels)
        if ihdr == nil {
            var header = Array(chunks[0].data)
            // Indices were encoded as greyscale; the file says what they are.
            if frame.bands == 1 { header[9] = 3 }
            ihdr = header
        }
        var fctl: [UInt8] = []
        fctl.appendBigEndian(sequence)
        fctl.appendBigEndian(UInt32(region.rectangle.width))
        fctl.appendBigEndian(UInt32(region.rectangle.height))
        fctl.appendBigEndian(UInt32(region.rectangle.x))
        fctl.appendBigEndian(UInt32(region.rectangle.y))
        // Milliseconds over a denominator of 1000, clamped to what 16 bits hold.
        fctl.appendBigEndian(UInt16(min(max(delay, 0), 65535)))
        fctl.appendBigEndian(UInt16(1000))
        fctl.append(contentsOf: [0, region.blend.rawValue]) // dispose NONE: the canvas keeps the frame
        PNGChunk.write(type: "fcTL", data: fctl, to: &body)
        sequence += 1
        for chunk in chunks where chunk.type == "IDAT" {
            if frameCount == 0 {
                chunk.write(to: &body)
            } else {
                var fdat: [UInt8] = []
                fdat.reserveCapacity(chunk.data.count + 4)
                fdat.appendBigEndian(sequence)
                fdat.append(contentsOf: chunk.data)
                PNGChunk.write(type: "fdAT", data: fdat, to: &body)
                sequence += 1
            }
        }
        previous = frame
        frameCount += 1
    }

    /// Bytes written so far.
    var byteCount: Int { body.count + 128 }

    /// The finished file; every announced frame must have been added, and indexed
    /// frames need the palette they were mapped with.
    consuming func finish(palette: IndexedPalette? = nil) throws(ImageError) -> [UInt8] {
        guard frameCount == expectedFrames, frameCount > 0, let ihdr else {
            throw .failed(detail: "animation announced \(expectedFrames) frames, got \(frameCount)")
        }
        var output = PNGChunk.signature
        PNGChunk.write(type: "IHDR", data: ihdr, to: &output)
        var actl: [UInt8] = []
        actl.appendBigEndian(UInt32(expectedFrames))
        actl.appendBigEndian(UInt32(loops))
        PNGChunk.write(type: "acTL", data: actl, to: &output)
        if ihdr[9] == 3 {
            guard let palette else { throw .failed(detail: "indexed frames without their palette") }
            PNGChunk.write(type: "PLTE", data: palette.plte, to: &output)
            PNGChunk.write(type: "tRNS", data: palette.trns, to: &output)
        }
        output += body
        PNGChunk.write(type: "IEND", data: [UInt8](), to: &output)
        return output
    }

    /// The encoded region's chunks, checked: its size, 8 bits, not interlaced, the first frame's format.
    private mutating func encodedChunks(_ pixels: FramePixels) throws(ImageError) -> [PNGChunk] {
        let png = try encode(pixels)
        guard let chunks = PNGChunk.read(png), let header = chunks.first, header.type == "IHDR", header.data.count == 13
        else { throw .failed(detail: "frame did not encode as a PNG") }
        let reader = header.data.reader
        let format = Array(header.data.dropFirst(8))
        guard reader.u32(0) == pixels.width, reader.u32(4) == pixels.height, format[0] == 8, format[4] == 0 else {
            throw .failed(detail: "frame encoded at another size or depth")
        }
        if encodedFormat.isEmpty { encodedFormat = format }
        guard format == encodedFormat else { throw .failed(detail: "frames encoded in different formats") }
        return chunks
    }
}
