#if canImport(Glibc)
import Glibc
#endif

/// The marker segments of a JPEG file, located without decoding anything.
///
/// Linear and bounds-checked: every step moves forward by at least two bytes,
/// and any length that would run past the end is an error.
struct JPEGSegments {
    struct Segment {
        /// The marker byte after 0xFF (0xE1 for APP1, 0xDA for SOS, ...).
        let marker: UInt8
        /// Offset of the 0xFF that starts the segment.
        let start: Int
        /// Offset one past the segment (header and payload; not the scan data after SOS).
        let end: Int
        /// Offset of the payload, just after the two length bytes.
        var payloadStart: Int { start + 4 }
    }

    /// Segments before the first SOS, in file order (SOI excluded).
    let header: [Segment]
    /// Offset of the first SOS marker: frame data starts here.
    let frameStart: Int
    /// Offset one past the EOI of the primary image.
    let imageEnd: Int
    /// The SOF marker byte (0xC0 baseline, 0xC2 progressive, 0xC9 arithmetic, ...).
    let frameMarker: UInt8
    let width: Int
    let height: Int

    enum ParseError: Error, Equatable {
        case notJPEG
        case truncated(String)
        case malformed(String)
    }

    init(_ bytes: [UInt8]) throws(ParseError) {
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { throw .notJPEG }
        var header: [Segment] = []
        var offset = 2
        var frame: (marker: UInt8, width: Int, height: Int)?
        // Header segments up to the first scan.
        while true {
            let (marker, at) = try Self.nextMarker(bytes, from: offset)
            guard marker != 0xD9 else { throw .truncated("EOI before any scan") }
            let length = try Self.segmentLength(bytes, at: at)
            let segment = Segment(marker: marker, start: at, end: at + 2 + length)
            if Self.isStartOfFrame(marker) {
                guard length >= 8 else { throw .malformed("short SOF") }
                frame = (marker, Int(bytes[at + 7]) << 8 | Int(bytes[at + 8]), Int(bytes[at + 5]) << 8 | Int(bytes[at + 6]))
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
        imageEnd = try Self.endOfImage(bytes, scanAt: frameStart)
    }

    /// Walks scans and the segments between them (progressive files) to the EOI.
    private static func endOfImage(_ bytes: [UInt8], scanAt start: Int) throws(ParseError) -> Int {
        var offset = start
        while true {
            guard offset + 1 < bytes.count else { throw .truncated("no EOI") }
            let marker = bytes[offset + 1]
            if marker == 0xD9 { return offset + 2 }
            let length = try segmentLength(bytes, at: offset)
            offset += 2 + length
            if marker == 0xDA {
                offset = try endOfEntropyData(bytes, from: offset)
            }
        }
    }

    /// Skips entropy-coded data to the next real marker: 0xFF 0x00 is a stuffed
    /// byte, 0xFF 0xD0-0xD7 a restart marker. memchr finds each 0xFF, so a
    /// multi-megabyte scan costs a fraction of a millisecond.
    private static func endOfEntropyData(_ bytes: [UInt8], from start: Int) throws(ParseError) -> Int {
        guard let found = bytes.withUnsafeBytes({ nextMarker(in: $0, from: start) }) else {
            throw .truncated("scan data runs to the end")
        }
        return found
    }

    /// The offset of the next marker that is not a stuffed byte or a restart marker, or nil.
    static func nextMarker(in buffer: UnsafeRawBufferPointer, from start: Int) -> Int? {
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

    /// How many scans (SOS segments) the image has, counted without decoding.
    /// Progressive decoding costs a pass per scan, so this is admitted like a
    /// frame count. Stops quietly where the file breaks: the decoder judges that.
    static func scanCount(_ buffer: UnsafeRawBufferPointer) -> Int {
        guard buffer.count >= 4, buffer[0] == 0xFF, buffer[1] == 0xD8 else { return 0 }
        var scans = 0
        var offset = 2
        while offset + 3 < buffer.count, buffer[offset] == 0xFF {
            let marker = buffer[offset + 1]
            if marker == 0xFF {
                offset += 1
                continue
            }
            if marker == 0xD9 { break }
            let length = Int(buffer[offset + 2]) << 8 | Int(buffer[offset + 3])
            guard length >= 2 else { break }
            offset += 2 + length
            if marker == 0xDA {
                scans += 1
                guard let next = nextMarker(in: buffer, from: offset) else { break }
                offset = next
            }
        }
        return scans
    }

    private static func nextMarker(_ bytes: [UInt8], from offset: Int) throws(ParseError) -> (UInt8, Int) {
        var at = offset
        guard at < bytes.count, bytes[at] == 0xFF else { throw .malformed("expected a marker at \(offset)") }
        // Fill bytes (0xFF 0xFF ...) may precede a marker.
        while at + 1 < bytes.count && bytes[at + 1] == 0xFF { at += 1 }
        guard at + 1 < bytes.count else { throw .truncated("marker at the end of the file") }
        return (bytes[at + 1], at)
    }

    private static func segmentLength(_ bytes: [UInt8], at offset: Int) throws(ParseError) -> Int {
        guard offset + 3 < bytes.count else { throw .truncated("segment header past the end") }
        let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
        guard length >= 2 else { throw .malformed("segment length \(length)") }
        guard offset + 2 + length <= bytes.count else { throw .truncated("segment longer than the file") }
        return length
    }

    static func isStartOfFrame(_ marker: UInt8) -> Bool {
        (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
    }

    static let exifSignature: [UInt8] = Array("Exif".utf8) + [0, 0]
    static let xmpSignature: [UInt8] = Array("http://ns.adobe.com/xap/1.0/".utf8) + [0]
    static let extendedXMPSignature: [UInt8] = Array("http://ns.adobe.com/xmp/extension/".utf8) + [0]
    static let iccSignature: [UInt8] = Array("ICC_PROFILE".utf8) + [0]
}

extension Array where Element == UInt8 {
    func hasSignature(_ signature: [UInt8], at offset: Int) -> Bool {
        offset >= 0 && offset + signature.count <= count && self[offset..<(offset + signature.count)].elementsEqual(signature)
    }
}
