#if canImport(Glibc)
import Glibc
#endif
import Bytes

/// The marker segments of a JPEG file, located without decoding anything.
///
/// Linear and bounds-checked: every step moves forward by at least two bytes,
/// and any length that would run past the end is an error.
public struct JPEGSegments: Sendable {
    public struct Segment: Sendable, Equatable {
        /// The marker byte after 0xFF (0xE1 for APP1, 0xDA for SOS, ...).
        public let marker: UInt8
        /// Offset of the 0xFF that starts the segment.
        public let start: Int
        /// Offset one past the segment (header and payload; not the scan data after SOS).
        public let end: Int
        /// Offset of the payload, just after the two length bytes.
        public var payloadStart: Int { start + 4 }
        public var payload: Range<Int> { payloadStart..<end }
        /// APPn and COM: metadata, as opposed to the tables and frame header.
        public var isMetadata: Bool { (0xE0...0xEF).contains(marker) || marker == 0xFE }
    }

    /// Offset of the image's SOI.
    public let imageStart: Int
    /// Segments before the first SOS, in file order (SOI excluded).
    public let header: [Segment]
    /// Offset of the first SOS marker: frame data starts here.
    public let frameStart: Int
    /// APPn and COM segments found between scans: no encoder writes them there,
    /// but metadata readers still read them.
    public let scanMetadata: [Segment]
    /// Offset one past the EOI of the primary image.
    public let imageEnd: Int
    /// The SOF marker byte (0xC0 baseline, 0xC2 progressive, 0xC9 arithmetic, ...).
    public let frameMarker: UInt8
    public let width: Int
    public let height: Int

    public var isProgressive: Bool { frameMarker == 0xC2 || frameMarker == 0xCA }

    public enum ParseError: Error, Equatable {
        case notJPEG
        case truncated(String)
        case malformed(String)
    }

    /// - Parameter start: where the image's SOI is (trailing images sit later in a file).
    public init(_ bytes: [UInt8], from start: Int = 0) throws(ParseError) {
        let reader = bytes.reader
        guard reader.matches([0xFF, 0xD8], at: start), reader.contains(start, count: 4) else { throw .notJPEG }
        imageStart = start
        var header: [Segment] = []
        var offset = start + 2
        var frame: (marker: UInt8, width: Int, height: Int)?
        // Header segments up to the first scan.
        while true {
            let (marker, at) = try Self.nextMarker(reader, from: offset)
            guard marker != 0xD9 else { throw .truncated("EOI before any scan") }
            // A marker libjpeg would not take has no length a reader agrees on: readers
            // that skip it find whatever it hides.
            guard Self.isSegmentMarker(marker) else { throw .malformed("marker \(marker) is not a JPEG segment") }
            let length = try Self.segmentLength(reader, at: at)
            let segment = Segment(marker: marker, start: at, end: at + 2 + length)
            if Self.isStartOfFrame(marker) {
                guard length >= 8, let height = reader.u16(at + 5), let width = reader.u16(at + 7) else {
                    throw .malformed("short SOF")
                }
                frame = (marker, width, height)
            }
            if marker == 0xDA {
                frameStart = at
                break
            }
            header.append(segment)
            offset = segment.end
        }
        guard let frame, frame.width > 0, frame.height > 0 else { throw .malformed("no frame header before the scan") }
        self.header = header
        frameMarker = frame.marker
        width = frame.width
        height = frame.height
        (scanMetadata, imageEnd) = try Self.scans(reader, from: frameStart)
    }

    /// Walks scans and the segments between them (progressive files) to the EOI.
    private static func scans(_ reader: ByteReader<[UInt8]>, from start: Int) throws(ParseError) -> ([Segment], Int) {
        var metadata: [Segment] = []
        var offset = start
        while true {
            guard let marker = reader.u8(offset + 1), reader.u8(offset) == 0xFF else { throw .truncated("no EOI") }
            if marker == 0xD9 { return (metadata, offset + 2) }
            guard isSegmentMarker(UInt8(marker)) else { throw .malformed("marker \(marker) is not a JPEG segment") }
            let length = try segmentLength(reader, at: offset)
            let segment = Segment(marker: UInt8(marker), start: offset, end: offset + 2 + length)
            if segment.isMetadata { metadata.append(segment) }
            offset = segment.end
            if marker == 0xDA {
                guard let next = reader.bytes.withUnsafeBytes({ nextMarker(in: $0, from: offset) }) else {
                    throw .truncated("scan data runs to the end")
                }
                offset = next
            }
        }
    }

    /// The offset of the next marker that is not a stuffed byte, a fill byte or a
    /// restart marker, or nil. memchr finds each 0xFF, so a multi-megabyte scan
    /// costs a fraction of a millisecond.
    public static func nextMarker(in buffer: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard let base = buffer.baseAddress else { return nil }
        var offset = start
        while offset >= 0 && offset + 1 < buffer.count {
            guard let hit = memchr(base + offset, 0xFF, buffer.count - offset - 1) else { return nil }
            let at = UnsafeRawPointer(hit) - base
            let next = buffer[at + 1]
            if next == 0x00 || next == 0xFF || (0xD0...0xD7).contains(next) {
                offset = at + 1
                continue
            }
            return at
        }
        return nil
    }

    /// How many scans (SOS segments) the image has, counted the way libjpeg reads
    /// them: bytes that are not a marker are skipped, as libjpeg skips them with a
    /// warning. Progressive decoding costs a pass per scan, so this is admitted like
    /// a frame count. Stops quietly where the file breaks: the decoder judges that.
    public static func scanCount(_ buffer: UnsafeRawBufferPointer) -> Int {
        guard buffer.count >= 4, buffer[0] == 0xFF, buffer[1] == 0xD8 else { return 0 }
        var scans = 0
        var offset = 2
        while let at = nextMarker(in: buffer, from: offset), at + 3 < buffer.count {
            let marker = buffer[at + 1]
            if marker == 0xD9 { break }
            let length = Int(buffer[at + 2]) << 8 | Int(buffer[at + 3])
            guard length >= 2 else { break }
            offset = at + 2 + length
            if marker == 0xDA { scans += 1 }
        }
        return scans
    }

    private static func nextMarker(_ reader: ByteReader<[UInt8]>, from offset: Int) throws(ParseError) -> (UInt8, Int) {
        var at = offset
        guard reader.u8(at) == 0xFF else { throw .malformed("expected a marker at \(offset)") }
        // Fill bytes (0xFF 0xFF ...) may precede a marker.
        while reader.u8(at + 1) == 0xFF { at += 1 }
        guard let marker = reader.u8(at + 1) else { throw .truncated("marker at the end of the file") }
        return (UInt8(marker), at)
    }

    private static func segmentLength(_ reader: ByteReader<[UInt8]>, at offset: Int) throws(ParseError) -> Int {
        guard let length = reader.u16(offset + 2) else { throw .truncated("segment header past the end") }
        guard length >= 2 else { throw .malformed("segment length \(length)") }
        guard reader.contains(offset + 2, count: length) else { throw .truncated("segment longer than the file") }
        return length
    }

    /// Markers that carry a length and that libjpeg accepts: frames and tables (C0-CF),
    /// DQT, DNL, DRI, DHP, EXP, SOS, APPn and COM.
    public static func isSegmentMarker(_ marker: UInt8) -> Bool {
        (0xC0...0xCF).contains(marker) || (0xDA...0xDF).contains(marker) || (0xE0...0xEF).contains(marker) || marker == 0xFE
    }

    public static func isStartOfFrame(_ marker: UInt8) -> Bool {
        (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
    }
}
