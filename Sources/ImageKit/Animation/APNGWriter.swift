/// Assembles an animated PNG from one ordinary PNG per frame: the first
/// frame's data stays IDAT (the image non-animating viewers show), the others
/// become fdAT chunks, each frame behind its fcTL.
struct APNGWriter {
    private var header: PNGChunk?
    private var frames: [(data: [ArraySlice<UInt8>], delay: Int, width: Int, height: Int)] = []
    let loops: Int

    init(loops: Int) { self.loops = loops }

    /// Adds a frame; every frame must have the same size and pixel format as the first.
    mutating func append(png: [UInt8], delay: Int) throws(ImageError) {
        guard let chunks = PNGChunk.read(png), let ihdr = chunks.first, ihdr.type == "IHDR",
              let width = ihdr.data.bigEndian32(at: 0), let height = ihdr.data.bigEndian32(at: 4)
        else { throw .failed(detail: "frame is not a PNG") }
        if let header {
            guard header.data.elementsEqual(ihdr.data) else { throw .failed(detail: "frames differ in size or format") }
        } else {
            header = ihdr
        }
        let data = chunks.filter { $0.type == "IDAT" }.map(\.data)
        frames.append((data, delay, width, height))
    }

    var frameCount: Int { frames.count }

    func finish() -> [UInt8] {
        guard let header else { return [] }
        var output = PNGChunk.signature
        header.write(to: &output)
        var actl: [UInt8] = []
        actl.appendBigEndian(UInt32(frames.count))
        actl.appendBigEndian(UInt32(loops))
        PNGChunk.write(type: "acTL", data: actl, to: &output)
        var sequence: UInt32 = 0
        for (index, frame) in frames.enumerated() {
            var fctl: [UInt8] = []
            fctl.appendBigEndian(sequence)
            fctl.appendBigEndian(UInt32(frame.width))
            fctl.appendBigEndian(UInt32(frame.height))
            fctl.appendBigEndian(UInt32(0))
            fctl.appendBigEndian(UInt32(0))
            // Milliseconds over a denominator of 1000, clamped to what 16 bits hold.
            fctl.appendBigEndian(UInt16(min(max(frame.delay, 0), 65535)))
            fctl.appendBigEndian(UInt16(1000))
            fctl.append(contentsOf: [0, 0]) // dispose none, blend source: every frame is a full canvas
            PNGChunk.write(type: "fcTL", data: fctl, to: &output)
            sequence += 1
            for data in frame.data {
                if index == 0 {
                    PNGChunk.write(type: "IDAT", data: data, to: &output)
                } else {
                    var fdat: [UInt8] = []
                    fdat.appendBigEndian(sequence)
                    fdat.append(contentsOf: data)
                    PNGChunk.write(type: "fdAT", data: fdat, to: &output)
                    sequence += 1
                }
            }
        }
        PNGChunk.write(type: "IEND", data: [UInt8](), to: &output)
        return output
    }
}
