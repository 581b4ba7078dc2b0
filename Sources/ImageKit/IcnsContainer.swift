import Bytes

/// An Apple icon family (`.icns`): typed chunks, some holding a whole PNG or
/// JPEG 2000 image. We use the largest of those; the legacy run-length
/// formats are not decoded.
package struct IcnsContainer {
    package struct Entry {
        let type: String
        package let offset: Int
        package let length: Int
        /// Edge length in pixels, from the PNG header or the chunk type.
        let size: Int
    }

    package let entries: [Entry]

    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    static let jp2Signature: [UInt8] = [0, 0, 0, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A]

    /// Sizes of the chunk types that hold PNG or JPEG 2000 data (Retina "@2x" types count double).
    static let typeSizes: [String: Int] = [
        "icp4": 16, "icp5": 32, "icp6": 64, "ic07": 128, "ic08": 256, "ic09": 512,
        "ic10": 1024, "ic11": 32, "ic12": 64, "ic13": 256, "ic14": 512,
    ]

    package init?(_ bytes: ImageBytes) {
        let whole = bytes.reader(.bigEndian)
        guard whole.matches(Array("icns".utf8), at: 0), let declared = whole.u32(4) else { return nil }
        // Chunks past the declared length are not part of the family.
        let reader = whole.narrowed(to: 0..<declared)
        let end = reader.window.upperBound
        var offset = 8
        var entries: [Entry] = []
        // Each chunk advances by at least its 8-byte header, so the walk ends.
        while offset + 8 <= end, entries.count < 1024 {
            guard let length = reader.u32(offset + 4), length >= 8, reader.contains(offset, count: length),
                  let typeBytes = reader.slice(offset, count: 4) else { break }
            let type = String(decoding: typeBytes, as: UTF8.self)
            let dataOffset = offset + 8
            let dataLength = length - 8
            if reader.matches(Self.pngSignature, at: dataOffset),
               let width = reader.u32(dataOffset + 16), let height = reader.u32(dataOffset + 20) {
                entries.append(Entry(type: type, offset: dataOffset, length: dataLength, size: max(width, height)))
            } else if reader.matches(Self.jp2Signature, at: dataOffset), let size = Self.typeSizes[type] {
                entries.append(Entry(type: type, offset: dataOffset, length: dataLength, size: size))
            }
            offset += length
        }
        guard !entries.isEmpty else { return nil }
        self.entries = entries
    }

    var largest: Entry { entries.max { $0.size < $1.size }! }
}
