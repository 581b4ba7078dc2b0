import Bytes

/// Every image file directory (IFD) of a TIFF structure (an EXIF block), read in place.
///
/// Walks what a metadata reader walks: the chain IFD0 → IFD1 → IFD2 …, SubIFDs,
/// the Exif and Interoperability directories, and GPS directories linked from any
/// of them. Offsets in TIFF are relative to its header; here every offset is
/// absolute in the bytes, and every read is checked against the end of the block.
/// Nothing is read twice, so crafted loops end, and the walk reads each byte of
/// the block a bounded number of times.
public struct TIFFDirectory: Sendable {
    public struct Entry: Sendable {
        public let tag: Int
        public let type: Int
        public let count: Int
        /// Absolute offset of the 12-byte entry.
        public let entryOffset: Int
        /// Absolute offset of the value, inline or out of line; nil when it lies outside the block.
        public let valueOffset: Int?
        public let valueLength: Int
    }

    public enum Kind: Sendable, Equatable {
        case chain(Int)
        case exif, interoperability, subIFD, gps
    }

    public struct IFD: Sendable {
        public let kind: Kind
        public let offset: Int
        public let entries: [Entry]
        /// Absolute offset of the 4-byte pointer to the next IFD.
        public let nextPointerOffset: Int
        public func entry(_ tag: Int) -> Entry? { entries.first { $0.tag == tag } }
    }

    /// A link to a GPS directory: the entry that holds it and the directory that holds the entry.
    public struct GPSLink: Sendable {
        public let owner: IFD
        public let pointer: Entry
        /// The directory, when it could be read.
        public let directory: IFD?
    }

    public enum Tag {
        public static let orientation = 0x0112
        public static let exifPointer = 0x8769
        public static let gpsPointer = 0x8825
        public static let interoperabilityPointer = 0xA005
        public static let subIFDs = 0x014A
        /// Adobe's GlobalParametersIFD: a directory readers follow like the Exif one.
        public static let globalParameters = 0x0190
        /// Kodak's private directory, where readers find a GPSString in plain text.
        public static let kodakIFD = 0x8290
        public static let pixelXDimension = 0xA002
        public static let pixelYDimension = 0xA003
        public static let thumbnailOffset = 0x0201
        public static let thumbnailLength = 0x0202
    }

    /// More IFDs than any camera writes: a block past this is not walked further.
    static let maxDirectories = 64
    /// Links followed at most, read or not: bounds the walk whatever the block claims.
    static let maxLinks = 1024

    public let base: Int
    public let end: Int
    public let byteOrder: ByteOrder
    /// Every directory reached that is not a GPS directory, IFD0 first.
    public let directories: [IFD]
    public let gpsLinks: [GPSLink]
    /// Why a GPS directory might be reachable by a reader more lenient than this walk.
    public let faults: [String]

    public var ifd0: IFD { directories[0] }
    public var exif: IFD? { directories.first { $0.kind == .exif } }
    public var ifd1: IFD? { directories.first { $0.kind == .chain(1) } }
    /// Whether every GPS link was followed and nothing on the way could hide another.
    public var isSafeToEdit: Bool { faults.isEmpty }

    /// - Parameters:
    ///   - bytes: the bytes holding the block.
    ///   - base: offset of the TIFF header ("II*\0" or "MM\0*").
    ///   - end: one past the last byte of the block.
    public init?(_ bytes: [UInt8], base: Int, end: Int) {
        var reader = ByteReader(bytes, window: base..<end)
        guard reader.window == base..<end, reader.contains(base, count: 8) else { return nil }
        if reader.matches([0x49, 0x49, 42, 0], at: base) {
            reader.byteOrder = .littleEndian
        } else if !reader.matches([0x4D, 0x4D, 0, 42], at: base) {
            return nil
        }
        self.base = base
        self.end = end
        byteOrder = reader.byteOrder
        let walker = Walker(reader: reader, base: base)

        var directories: [IFD] = []
        var gpsLinks: [GPSLink] = []
        var faults: [String] = []
        var visited: Set<Int> = []
        var queue: [(relative: Int, kind: Kind)] = [(reader.u32(base + 4) ?? 0, .chain(0))]
        var head = 0
        while head < queue.count {
            let (relative, kind) = queue[head]
            head += 1
            guard directories.count < Self.maxDirectories, queue.count <= Self.maxLinks else {
                faults.append("more than \(Self.maxDirectories) directories or \(Self.maxLinks) links")
                break
            }
            guard let ifd = walker.ifd(at: relative, kind: kind, visited: &visited) else {
                if kind == .chain(0) { return nil }
                continue
            }
            directories.append(ifd)
            if case .chain(let index) = kind, let next = reader.u32(ifd.nextPointerOffset), next != 0 {
                queue.append((next, .chain(index + 1)))
            }
            for entry in ifd.entries {
                switch entry.tag {
                case Tag.exifPointer: walker.pointers(entry).forEach { queue.append(($0, .exif)) }
                case Tag.interoperabilityPointer: walker.pointers(entry).forEach { queue.append(($0, .interoperability)) }
                case Tag.subIFDs, Tag.globalParameters: walker.pointers(entry).forEach { queue.append(($0, .subIFD)) }
                case Tag.kodakIFD:
                    // Its GPSString is a position in plain text; this editor does not rewrite Kodak's directory.
                    faults.append("Kodak directory")
                case Tag.gpsPointer:
                    let targets = walker.pointers(entry)
                    var directory: IFD?
                    if targets.count == 1 {
                        directory = walker.ifd(at: targets[0], kind: .gps, visited: &visited)
                    }
                    // A link this walk cannot follow may still lead a lenient reader to a location.
                    if directory == nil { faults.append("unreadable GPS directory in \(kind)") }
                    gpsLinks.append(GPSLink(owner: ifd, pointer: entry, directory: directory))
                default: break
                }
            }
        }
        self.directories = directories
        self.gpsLinks = gpsLinks
        self.faults = faults
    }

    /// The integer value of a SHORT or LONG entry.
    public func value(of entry: Entry, in bytes: [UInt8]) -> Int? {
        guard entry.count >= 1, let at = entry.valueOffset else { return nil }
        let reader = ByteReader(bytes, window: base..<end, byteOrder: byteOrder)
        switch entry.type {
        case 3: return reader.u16(at)
        case 4, 13: return reader.u32(at)
        default: return nil
        }
    }

    /// Reads directories and pointers in the block's byte order.
    private struct Walker {
        let reader: ByteReader<[UInt8]>
        let base: Int

        /// The relative offsets an IFD-pointer entry points at (one, or several for SubIFDs).
        func pointers(_ entry: Entry) -> [Int] {
            // Readers follow a pointer stored as SHORT as readily as one stored as LONG or IFD.
            guard [3, 4, 13].contains(entry.type), (1...Int(TIFFDirectory.maxDirectories)).contains(entry.count),
                  let at = entry.valueOffset else { return [] }
            return (0..<entry.count).compactMap { entry.type == 3 ? reader.u16(at + 2 * $0) : reader.u32(at + 4 * $0) }
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

        /// The directory at `relative`, read as far as the block holds whole entries
        /// (as lenient readers do), or nil when there is none or it was read before.
        func ifd(at relative: Int, kind: Kind, visited: inout Set<Int>) -> IFD? {
            let offset = base + relative
            guard relative >= 8, let declared = reader.u16(offset), visited.insert(offset).inserted else { return nil }
            let fits = (reader.window.upperBound - offset - 2) / 12
            let count = min(declared, max(0, fits))
            var entries: [Entry] = []
            entries.reserveCapacity(count)
            for index in 0..<count {
                let at = offset + 2 + 12 * index
                guard let tag = reader.u16(at), let type = reader.u16(at + 2), let valueCount = reader.u32(at + 4) else { break }
                var valueOffset: Int?
                var length = 0
                if let size = Self.typeSize(type) {
                    let (total, overflow) = size.multipliedReportingOverflow(by: valueCount)
                    if !overflow {
                        length = total
                        if total <= 4 {
                            valueOffset = at + 8
                        } else if let target = reader.u32(at + 8), reader.contains(base + target, count: total), target >= 8 {
                            valueOffset = base + target
                        }
                    }
                }
                entries.append(Entry(tag: tag, type: type, count: valueCount, entryOffset: at,
                                     valueOffset: valueOffset, valueLength: length))
            }
            return IFD(kind: kind, offset: offset, entries: entries, nextPointerOffset: offset + 2 + 12 * count)
        }
    }
}
