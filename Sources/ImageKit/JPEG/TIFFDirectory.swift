/// The image file directories (IFDs) of an EXIF block, read in place.
///
/// Offsets in EXIF are relative to the TIFF header; here every offset is
/// absolute in the file's bytes, and every read is checked against the end of
/// the block. Nothing is followed twice, so crafted loops end.
struct TIFFDirectory {
    struct Entry {
        let tag: Int
        let type: Int
        let count: Int
        /// Absolute offset of the 12-byte entry.
        let entryOffset: Int
        /// Absolute offset of the value, inline or out of line; nil when it lies outside the block.
        let valueOffset: Int?
        let valueLength: Int
    }

    struct IFD {
        let offset: Int
        let entries: [Entry]
        /// Absolute offset of the 4-byte pointer to the next IFD.
        let nextPointerOffset: Int
        func entry(_ tag: Int) -> Entry? { entries.first { $0.tag == tag } }
    }

    enum Tag {
        static let orientation = 0x0112
        static let exifPointer = 0x8769
        static let gpsPointer = 0x8825
        static let pixelXDimension = 0xA002
        static let pixelYDimension = 0xA003
        static let thumbnailOffset = 0x0201
        static let thumbnailLength = 0x0202
    }

    let base: Int
    let end: Int
    let littleEndian: Bool
    let ifd0: IFD
    let exif: IFD?
    let gps: IFD?
    let ifd1: IFD?
    /// Structural faults that make in-place editing unsafe (the block should be dropped).
    private(set) var faults: [String] = []

    /// - Parameters:
    ///   - bytes: the whole file.
    ///   - base: offset of the TIFF header ("II*\0" or "MM\0*").
    ///   - end: one past the last byte of the EXIF block.
    init?(_ bytes: [UInt8], base: Int, end: Int) {
        guard base + 8 <= end, end <= bytes.count else { return nil }
        if bytes[base] == 0x49 && bytes[base + 1] == 0x49 && bytes[base + 2] == 42 && bytes[base + 3] == 0 {
            littleEndian = true
        } else if bytes[base] == 0x4D && bytes[base + 1] == 0x4D && bytes[base + 2] == 0 && bytes[base + 3] == 42 {
            littleEndian = false
        } else {
            return nil
        }
        self.base = base
        self.end = end
        var faults: [String] = []
        var visited: Set<Int> = []
        let reader = Reader(bytes: bytes, base: base, end: end, littleEndian: littleEndian)

        guard let ifd0 = reader.ifd(at: reader.u32(base + 4), visited: &visited, faults: &faults) else { return nil }
        self.ifd0 = ifd0
        // Faults in the Exif directory or the thumbnail's only limit what can be updated there;
        // faults on the way to GPS data make the block unsafe to keep.
        var tolerated: [String] = []
        exif = ifd0.entry(Tag.exifPointer).flatMap { reader.pointer($0) }
            .flatMap { reader.ifd(at: $0, visited: &visited, faults: &tolerated) }
        if let pointer = ifd0.entry(Tag.gpsPointer) {
            gps = reader.pointer(pointer).flatMap { reader.ifd(at: $0, visited: &visited, faults: &faults) }
            // A GPS pointer we cannot follow may still lead a lenient reader to a location.
            if gps == nil { faults.append("unreadable GPS directory") }
        } else {
            gps = nil
        }
        let next = reader.u32(ifd0.nextPointerOffset)
        ifd1 = next == 0 ? nil : reader.ifd(at: next, visited: &visited, faults: &tolerated)
        if exif?.entry(Tag.gpsPointer) != nil || ifd1?.entry(Tag.gpsPointer) != nil {
            faults.append("GPS pointer outside IFD0")
        }
        self.faults = faults
    }

    var isSafeToEdit: Bool { faults.isEmpty }

    func value(of entry: Entry, in bytes: [UInt8]) -> Int? {
        guard entry.count >= 1, let at = entry.valueOffset else { return nil }
        let reader = Reader(bytes: bytes, base: base, end: end, littleEndian: littleEndian)
        switch entry.type {
        case 3: return reader.u16(at)
        case 4, 13: return reader.u32(at)
        default: return nil
        }
    }

    /// Reads EXIF integers in the block's byte order.
    struct Reader {
        let bytes: [UInt8]
        let base: Int
        let end: Int
        let littleEndian: Bool

        func u16(_ at: Int) -> Int {
            guard at >= base, at + 2 <= end else { return 0 }
            return littleEndian ? Int(bytes[at]) | Int(bytes[at + 1]) << 8 : Int(bytes[at]) << 8 | Int(bytes[at + 1])
        }

        func u32(_ at: Int) -> Int {
            guard at >= base, at + 4 <= end else { return 0 }
            let b = (0..<4).map { Int(bytes[at + $0]) }
            return littleEndian ? b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24 : b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]
        }

        /// The absolute offset an IFD-pointer entry points at.
        func pointer(_ entry: Entry) -> Int? {
            guard entry.count == 1, [4, 13].contains(entry.type), let at = entry.valueOffset else { return nil }
            return u32(at)
        }

        static func typeSize(_ type: Int) -> Int? {
            switch type {
            case 1, 2, 6, 7: 1
            case 3, 8: 2
            case 4, 9, 11, 13: 4
            case 5, 10, 12: 8
            default: nil
            }
        }

        func ifd(at relative: Int, visited: inout Set<Int>, faults: inout [String]) -> IFD? {
            let offset = base + relative
            guard relative >= 8, offset + 2 <= end else { faults.append("IFD offset \(relative) out of range"); return nil }
            guard visited.insert(offset).inserted else { faults.append("IFD loop at \(relative)"); return nil }
            let count = u16(offset)
            guard offset + 2 + 12 * count + 4 <= end else { faults.append("IFD at \(relative) claims \(count) entries"); return nil }
            var entries: [Entry] = []
            for index in 0..<count {
                let at = offset + 2 + 12 * index
                let type = u16(at + 2)
                let valueCount = u32(at + 4)
                var valueOffset: Int? = nil
                var length = 0
                if let size = Self.typeSize(type) {
                    let (total, overflow) = size.multipliedReportingOverflow(by: valueCount)
                    if !overflow {
                        length = total
                        if total <= 4 {
                            valueOffset = at + 8
                        } else {
                            let target = base + u32(at + 8)
                            if target >= base + 8, target + total <= end { valueOffset = target }
                        }
                    }
                }
                entries.append(Entry(tag: u16(at), type: type, count: valueCount, entryOffset: at,
                                     valueOffset: valueOffset, valueLength: length))
            }
            return IFD(offset: offset, entries: entries, nextPointerOffset: offset + 2 + 12 * count)
        }
    }
}
