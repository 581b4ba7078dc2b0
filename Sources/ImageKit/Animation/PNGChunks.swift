import Bytes
/// PNG chunks: reading a file into chunks and writing chunks with their CRCs.
/// Pure Swift and bounds-checked; the image data inside is never inflated here.
package struct PNGChunk: Equatable {
    let type: String
    let data: ArraySlice<UInt8>

    package static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Every chunk of a PNG, in order, up to IEND. Nil when the bytes are not a
    /// well-formed chunk stream (a length past the end, a bad CRC).
    package static func read(_ bytes: [UInt8], limit: Int = 1_000_000) -> [PNGChunk]? {
        let reader = bytes.reader
        guard reader.matches(signature, at: 0) else { return nil }
        var chunks: [PNGChunk] = []
        var offset = signature.count
        while chunks.count < limit, let length = reader.u32(offset), reader.contains(offset + 8, count: length + 4),
              let typeBytes = reader.slice(offset + 4, count: 4), let stored = reader.u32(offset + 8 + length) {
            let dataStart = offset + 8
            let crcStart = dataStart + length
            guard CRC32.checksum(bytes[(offset + 4)..<crcStart]) == UInt32(stored) else { return nil }
            let chunk = PNGChunk(type: String(decoding: typeBytes, as: UTF8.self), data: bytes[dataStart..<crcStart])
            chunks.append(chunk)
            offset = crcStart + 4
            if chunk.type == "IEND" { return chunks }
        }
        return nil
    }

    /// Appends this chunk (length, type, data, CRC) to `output`.
    func write(to output: inout [UInt8]) {
        PNGChunk.write(type: type, data: data, to: &output)
    }

    static func write<Data: Collection>(type: String, data: Data, to output: inout [UInt8]) where Data.Element == UInt8 {
        output.appendBigEndian(UInt32(data.count))
        let start = output.count
        output.append(contentsOf: Array(type.utf8))
        output.append(contentsOf: data)
        output.appendBigEndian(CRC32.checksum(output[start...]))
    }
}

extension PNGChunk {
    /// The frame count an APNG's acTL declares, found by walking chunk headers up
    /// to the first IDAT (no CRCs, no data read); nil for a still PNG.
    static func declaredAnimationFrames(_ bytes: ImageBytes) -> Int? {
        let reader = bytes.reader(.bigEndian)
        guard reader.matches(signature, at: 0) else { return nil }
        var offset = signature.count
        var chunks = 0
        while reader.contains(offset, count: 12), chunks < 10_000 {
            guard let length = reader.u32(offset) else { return nil }
            if reader.matches(Array("IDAT".utf8), at: offset + 4) { return nil }
            if reader.matches(Array("acTL".utf8), at: offset + 4), length >= 8 { return reader.u32(offset + 8) }
            offset += 12 + length
            chunks += 1
        }
        return nil
    }
}

/// CRC-32 as PNG uses it (ISO 3309, polynomial 0xEDB88320).
package enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    package static func checksum<Bytes: Collection>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}

extension Array where Element == UInt8 {
    mutating func appendBigEndian(_ value: UInt32) {
        append(contentsOf: [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)])
    }

    mutating func appendBigEndian(_ value: UInt16) {
        append(contentsOf: [UInt8(value >> 8), UInt8(value & 0xFF)])
    }
}
