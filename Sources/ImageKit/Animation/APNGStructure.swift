import Bytes

/// The animation of an APNG file, read from its chunks: canvas, loop count
/// and each frame's region, timing, dispose and blend operations, with the
/// chunks that hold its compressed data.
///
/// Every rule a decoder relies on is checked here, before anything is decoded:
/// sequence numbers in order, frames inside the canvas, a data chunk for every
/// frame, and the declared frame count.
package struct APNGStructure {
    enum Dispose: UInt8 { case none = 0, background = 1, previous = 2 }
    enum Blend: UInt8 { case source = 0, over = 1 }

    package struct Frame {
        package let width: Int
        package let height: Int
        package let x: Int
        package let y: Int
        /// Delay in milliseconds.
        let delay: Int
        let dispose: Dispose
        let blend: Blend
        /// Compressed image data (IDAT contents, or fdAT contents without their sequence number).
        var data: [ArraySlice<UInt8>]
    }

    package let width: Int
    package let height: Int
    let loops: Int
    package let frames: [Frame]
    /// IHDR and the chunks that apply to every frame (palette, transparency, colour).
    let header: PNGChunk
    let shared: [PNGChunk]

    package enum Problem: Error, Equatable {
        case notAnimated
        case malformed(String)
        case tooManyFrames(Int)
    }

    /// The frame count an `acTL` chunk declares, or nil for a still PNG. Cheap: stops at the first IDAT.
    static func declaredFrames(_ chunks: [PNGChunk]) -> Int? {
        for chunk in chunks {
            if chunk.type == "acTL" { return chunk.data.reader.u32(0) }
            if chunk.type == "IDAT" { return nil }
        }
        return nil
    }

    package init(_ chunks: [PNGChunk], maxFrames: Int) throws(Problem) {
        guard let ihdr = chunks.first, ihdr.type == "IHDR", ihdr.data.count == 13,
              let width = ihdr.data.reader.u32(0), let height = ihdr.data.reader.u32(4), width > 0, height > 0
        else { throw .malformed("no IHDR") }
        guard let declared = Self.declaredFrames(chunks),
              let actl = chunks.first(where: { $0.type == "acTL" }), let loops = actl.data.reader.u32(4)
        else { throw .notAnimated }
        guard declared >= 1 else { throw .malformed("acTL declares no frames") }
        guard declared <= maxFrames else { throw .tooManyFrames(declared) }

        var frames: [Frame] = []
        var shared: [PNGChunk] = []
        var expectedSequence = 0
        var seenIDAT = false
        // Whether frame 0 is the default image (its fcTL came before the IDAT chunks).
        var firstFrameIsDefaultImage = false
        for chunk in chunks.dropFirst() {
            switch chunk.type {
            case "fcTL":
                guard chunk.data.count == 26, chunk.data.reader.u32(0) == expectedSequence else {
                    throw .malformed("fcTL out of sequence")
                }
                expectedSequence += 1
                guard frames.count < declared else { throw .malformed("more frames than acTL declares") }
                if let last = frames.last, last.data.isEmpty { throw .malformed("frame without data") }
                let frame = try Self.frameControl(chunk.data, canvasWidth: width, canvasHeight: height, isFirst: frames.isEmpty)
                frames.append(frame)
            case "IDAT":
                // IDAT belongs to the animation only when an fcTL came before it.
                if frames.count == 1 && (!seenIDAT || firstFrameIsDefaultImage) {
                    frames[0].data.append(chunk.data)
                    firstFrameIsDefaultImage = true
                }
                seenIDAT = true
            case "fdAT":
                guard chunk.data.count > 4, chunk.data.reader.u32(0) == expectedSequence else {
                    throw .malformed("fdAT out of sequence")
                }
                expectedSequence += 1
                guard !frames.isEmpty, seenIDAT else { throw .malformed("fdAT before the first frame") }
                guard !(frames.count == 1 && firstFrameIsDefaultImage) else { throw .malformed("fdAT in the default image") }
                frames[frames.count - 1].data.append(chunk.data.dropFirst(4))
            case "PLTE", "tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "sBIT":
                if !seenIDAT { shared.append(chunk) }
            default:
                break
            }
        }
        guard frames.count == declared else { throw .malformed("acTL declares \(declared) frames, found \(frames.count)") }
        guard frames.allSatisfy({ !$0.data.isEmpty }) else { throw .malformed("frame without data") }
        self.width = width
        self.height = height
        self.loops = loops
        self.frames = frames
        self.header = ihdr
        self.shared = shared
    }

    private static func frameControl(_ data: ArraySlice<UInt8>, canvasWidth: Int, canvasHeight: Int,
                                     isFirst: Bool) throws(Problem) -> Frame {
        guard let width = data.reader.u32(4), let height = data.reader.u32(8),
              let x = data.reader.u32(12), let y = data.reader.u32(16),
              let numerator = data.reader.u16(20), let denominator = data.reader.u16(22)
        else { throw .malformed("short fcTL") }
        guard width > 0, height > 0, x + width <= canvasWidth, y + height <= canvasHeight else {
            throw .malformed("frame outside the canvas")
        }
        guard let dispose = Dispose(rawValue: data[data.startIndex + 24]),
              let blend = Blend(rawValue: data[data.startIndex + 25]) else { throw .malformed("bad dispose or blend") }
        // A zero denominator means hundredths of a second.
        let delay = numerator * 1000 / (denominator == 0 ? 100 : denominator)
        return Frame(width: width, height: height, x: x, y: y, delay: delay,
                     // The first frame's "previous" is the cleared canvas.
                     dispose: isFirst && dispose == .previous ? .background : dispose, blend: blend, data: [])
    }

    /// A standalone PNG of one frame, for an ordinary PNG decoder.
    func standalonePNG(of frame: Frame) -> [UInt8] {
        var output = PNGChunk.signature
        var ihdr = Array(header.data)
        ihdr.store32(frame.width, at: 0, .bigEndian, within: ihdr.indices)
        ihdr.store32(frame.height, at: 4, .bigEndian, within: ihdr.indices)
        PNGChunk.write(type: "IHDR", data: ihdr, to: &output)
        for chunk in shared { chunk.write(to: &output) }
        for data in frame.data { PNGChunk.write(type: "IDAT", data: data, to: &output) }
        PNGChunk.write(type: "IEND", data: [UInt8](), to: &output)
        return output
    }
}
