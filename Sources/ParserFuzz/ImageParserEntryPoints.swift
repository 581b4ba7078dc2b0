import Bytes
import ImageKit

/// The parsers that read untrusted bytes before any image library does, each
/// with the promise it keeps, for the fuzz targets of this package. A broken
/// promise traps, which the fuzzer reports like a crash.
enum ParserEntryPoints {
    /// Apple icons: every entry lies inside the file.
    static func icns(_ data: [UInt8]) {
        let bytes = ImageBytes(copying: data)
        guard let container = IcnsContainer(bytes) else { return }
        for entry in container.entries {
            precondition(entry.offset >= 0 && entry.length >= 0 && entry.offset + entry.length <= data.count)
        }
    }

    /// Windows icons: every entry lies inside the file.
    static func ico(_ data: [UInt8]) {
        let bytes = ImageBytes(copying: data)
        guard let directory = IcoDirectory(bytes) else { return }
        for entry in directory.entries {
            precondition(entry.offset >= 0 && entry.length >= 0 && entry.offset + entry.length <= data.count)
        }
    }

    /// APNG: every accepted frame lies inside the canvas, and there are no more
    /// than declared. CRCs are recomputed first, so mutations reach the structure
    /// checks instead of all failing the checksum.
    static func apng(_ data: [UInt8]) {
        let repaired = repairingChunkCRCs(data)
        guard let chunks = PNGChunk.read(repaired),
              let structure = try? APNGStructure(chunks, maxFrames: 64) else { return }
        precondition(structure.frames.count <= 64)
        for frame in structure.frames {
            precondition(frame.width > 0 && frame.height > 0 && frame.x >= 0 && frame.y >= 0)
            precondition(frame.x + frame.width <= structure.width && frame.y + frame.height <= structure.height)
        }
    }

    /// The input with each chunk's CRC set to match, as far as its lengths allow.
    private static func repairingChunkCRCs(_ data: [UInt8]) -> [UInt8] {
        var bytes = data
        guard bytes.reader.matches(PNGChunk.signature, at: 0) else { return bytes }
        var offset = PNGChunk.signature.count
        while let length = bytes.reader.u32(offset), bytes.reader.contains(offset + 8, count: length + 4) {
            let crcStart = offset + 8 + length
            let crc = CRC32.checksum(bytes[(offset + 4)..<crcStart])
            bytes.store32(Int(crc), at: crcStart, .bigEndian, within: bytes.indices)
            offset = crcStart + 4
        }
        return bytes
    }
}
