#if canImport(Glibc)
import Glibc
#endif
import Bytes

/// A second reading of a prepared file, written to find signs of a position rather
/// than to edit: it shares no code with the scrubbers but the byte reader, and it
/// judges every segment of every image in the file by what it could hold, not by
/// the header it claims. libexif reads every canonical EXIF block as a third opinion.
///
/// A segment is a finding when it holds any of:
/// - a TIFF structure (at any offset) from which a GPS directory link is reachable;
/// - an XML element or attribute whose name contains "gps" in any case;
/// - an EXIF header with no TIFF structure after it (a reader would join it to the next);
/// - XMP that is not in an ASCII-compatible encoding (this pass cannot read it);
/// - for segments of no known kind, the letters "gps" in any case anywhere;
/// and every metadata segment between scans, and anything after the last image, is one.
public enum LocationDetector {
    public struct Finding: Sendable, Equatable {
        /// The bytes to remove: a whole segment, or everything after the last image.
        public let range: Range<Int>
        public let reason: String
    }

    /// Every finding in `bytes`, in file order; a file whose structure this pass cannot
    /// follow is one finding from the point where it breaks.
    public static func findings(in bytes: [UInt8]) -> [Finding] {
        var findings: [Finding] = []
        var offset = 0
        var inScans = false
        let reader = bytes.reader
        while offset < bytes.count {
            // Cameras pad between the images of an MPO file with a few 0x00 or 0xFF bytes.
            var padded = offset
            while padded - offset < 64, let byte = reader.u8(padded), byte == 0x00 || (byte == 0xFF && reader.u8(padded + 1) != 0xD8) {
                padded += 1
            }
            if padded == bytes.count { break }
            guard reader.matches([0xFF, 0xD8], at: padded) else {
                findings.append(Finding(range: offset..<bytes.count, reason: "data after the last image"))
                break
            }
            offset = padded
            offset += 2
            inScans = false
            var ended = false
            while !ended {
                guard reader.u8(offset) == 0xFF, let marker = reader.u8(offset + 1) else {
                    findings.append(Finding(range: offset..<bytes.count, reason: "broken structure"))
                    return findings
                }
                if marker == 0xFF { offset += 1; continue }
                if marker == 0xD9 { offset += 2; ended = true; continue }
                if (0xD0...0xD7).contains(marker) || marker == 0x01 { offset += 2; continue }
                guard JPEGSegments.isSegmentMarker(UInt8(marker)), let length = reader.u16(offset + 2), length >= 2, reader.contains(offset + 2, count: length) else {
                    findings.append(Finding(range: offset..<bytes.count, reason: "broken structure"))
                    return findings
                }
                let segment = offset..<(offset + 2 + length)
                let isMetadata = (0xE0...0xEF).contains(marker) || marker == 0xFE
                if isMetadata {
                    if inScans {
                        findings.append(Finding(range: segment, reason: "metadata between scans"))
                    } else if let reason = sign(marker: UInt8(marker), payload: reader.narrowed(to: (offset + 4)..<segment.upperBound)) {
                        findings.append(Finding(range: segment, reason: reason))
                    }
                }
                offset = segment.upperBound
                if marker == 0xDA {
                    inScans = true
                    guard let next = bytes.withUnsafeBytes({ JPEGSegments.nextMarker(in: $0, from: offset) }) else {
                        findings.append(Finding(range: offset..<bytes.count, reason: "broken structure"))
                        return findings
                    }
                    offset = next
                }
            }
        }
        return findings
    }

    /// The first sign of a position in one metadata segment, or nil.
    static func sign(marker: UInt8, payload: ByteReader<[UInt8]>) -> String? {
        if let structure = TIFFSearch(payload).reachableGPSLink() { return structure }
        if marker == 0xE1, payload.matches(Array("Exif\u{0}\u{0}".utf8), at: payload.window.lowerBound),
           LibexifReading.findsGPS(payload.bytes[payload.window]) {
            return "libexif finds GPS entries"
        }
        if XMLNameScan.mentionsGPS(payload) { return "an XML name mentions GPS" }
        let start = payload.window.lowerBound
        if marker == 0xE1, let header = exifHeaderLength(payload),
           !payload.matches([0x49, 0x49, 0x2A, 0x00], at: start + header), !payload.matches([0x4D, 0x4D, 0x00, 0x2A], at: start + header) {
            return "EXIF header without a TIFF structure"
        }
        if marker == 0xE1, payload.matches(xmpHeader, at: start), isWideText(payload.narrowed(to: (start + xmpHeader.count)..<payload.window.upperBound)) {
            return "XMP in an encoding other than UTF-8"
        }
        if marker == 0xE1, payload.matches(Array("FLIR\u{0}".utf8), at: start) {
            return "FLIR block (its GPS record is binary)"
        }
        if !isKnownKind(marker: marker, payload) && containsLettersGPS(payload) {
            return "unknown segment mentions GPS"
        }
        return nil
    }

    static let xmpHeader = Array("http://ns.adobe.com/xap/1.0/\u{0}".utf8)

    /// UTF-16 or UTF-32 text: a zero byte beside the first '<' (trailing zero padding is not).
    static func isWideText(_ text: ByteReader<[UInt8]>) -> Bool {
        guard let open = text.window.first(where: { text.bytes[$0] == 0x3C }) else { return false }
        return text.u8(open - 1) == 0 || text.u8(open + 1) == 0
    }

    /// How many bytes precede the TIFF header of an APP1 that a lenient reader takes
    /// for EXIF: up to four bytes of anything, then "Exif\0" in any case, then one byte.
    static func exifHeaderLength(_ payload: ByteReader<[UInt8]>) -> Int? {
        let start = payload.window.lowerBound
        for prefix in 0...4 where payload.matchesIgnoringCase(Array("exif\u{0}".utf8), at: start + prefix) {
            return prefix + 6
        }
        return nil
    }

    /// Segment kinds whose every byte the other rules account for.
    private static func isKnownKind(marker: UInt8, _ payload: ByteReader<[UInt8]>) -> Bool {
        let start = payload.window.lowerBound
        func starts(_ text: String) -> Bool { payload.matches(Array(text.utf8), at: start) }
        switch marker {
        case 0xE0: return starts("JFIF\u{0}") || starts("JFXX\u{0}")
        case 0xE1: return exifHeaderLength(payload) != nil || starts("http://ns.adobe.com/")
        // An ICC profile is not exempt: its 'meta' dictionary can name GPS (in UTF-16).
        case 0xE2: return starts("MPF\u{0}")
        case 0xED: return starts("Photoshop 3.0\u{0}")
        case 0xEE: return starts("Adobe")
        default: return false
        }
    }

    /// The letters in any case, zero bytes skipped so UTF-16 and UTF-32 text counts too.
    private static func containsLettersGPS(_ payload: ByteReader<[UInt8]>) -> Bool {
        var matched = 0
        let needle: [UInt8] = [0x67, 0x70, 0x73]
        for index in payload.window where payload.bytes[index] != 0 {
            let byte = asciiLowercase(payload.bytes[index])
            matched = byte == needle[matched] ? matched + 1 : (byte == needle[0] ? 1 : 0)
            if matched == 3 { return true }
        }
        return false
    }
}

/// Names in XML text, found in one pass: a run of name characters is an element name
/// when '<' or '</' comes before it, and an attribute name when '=' follows it. Zero
/// bytes are skipped, so UTF-16 and UTF-32 text is read as well.
enum XMLNameScan {
    private static let letters: [UInt8] = Array("gps".utf8)

    static func mentionsGPS(_ text: ByteReader<[UInt8]>) -> Bool {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.window.count)
        for index in text.window where text.bytes[index] != 0 { bytes.append(text.bytes[index]) }
        let lower = 0
        let end = bytes.count
        let letters = Self.letters // read once: a static in the loop costs a once-check per byte
        var index = lower
        while index < end {
            guard isNameByte(bytes[index]) else { index += 1; continue }
            let start = index
            var hasGPS = false
            var matched = 0
            while index < end && isNameByte(bytes[index]) {
                let folded = asciiLowercase(bytes[index])
                matched = folded == letters[matched] ? matched + 1 : (folded == letters[0] ? 1 : 0)
                if matched == 3 { hasGPS = true; matched = 0 }
                index += 1
            }
            guard hasGPS else { continue }
            if isElementName(bytes, start: start, lower: lower) { return true }
            var after = index
            while after < end && isSpace(bytes[after]) { after += 1 }
            if after < end && bytes[after] == 0x3D { return true } // '='
        }
        return false
    }

    private static func isElementName(_ bytes: [UInt8], start: Int, lower: Int) -> Bool {
        var before = start - 1
        while before >= lower && isSpace(bytes[before]) { before -= 1 }
        if before >= lower && bytes[before] == 0x2F { before -= 1 } // '/' of a closing tag
        return before >= lower && bytes[before] == 0x3C // '<'
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            || byte == 0x5F || byte == 0x2D || byte == 0x2E || byte == 0x3A || byte >= 0x80
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
}

/// TIFF structures anywhere in a segment, each walked through every directory link
/// a reader follows to see whether a GPS link is reachable, and searched entry by
/// entry for a GPS link the walk cannot reach. The work is bounded per segment; a
/// segment that exceeds it is a finding, since it could not be cleared.
struct TIFFSearch {
    let payload: ByteReader<[UInt8]>
    static let maxStructures = 32
    static let maxSteps = 100_000
    static let littleEndianHeader: [UInt8] = [0x49, 0x49, 0x2A, 0x00]
    static let bigEndianHeader: [UInt8] = [0x4D, 0x4D, 0x00, 0x2A]
    /// Exif, Interoperability, SubIFDs, GlobalParameters.
    static let directoryLinks: Set<Int> = [0x8769, 0xA005, 0x014A, 0x0190]
    /// GPS, and Kodak's directory, whose GPSString is a position in plain text.
    static let locationTags: Set<Int> = [0x8825, 0x8290]

    init(_ payload: ByteReader<[UInt8]>) { self.payload = payload }

    /// Why a GPS link is (or may be) reachable, or nil.
    func reachableGPSLink() -> String? {
        var structures = 0
        var steps = 0
        var index = payload.window.lowerBound
        let end = payload.window.upperBound
        while index + 4 <= end {
            // Most bytes start neither header: one comparison rules them out.
            let first = payload.bytes[index]
            guard first == 0x49 || first == 0x4D else { index += 1; continue }
            let isLittle = payload.matches(Self.littleEndianHeader, at: index)
            let isBig = !isLittle && payload.matches(Self.bigEndianHeader, at: index)
            guard isLittle || isBig else { index += 1; continue }
            structures += 1
            guard structures <= Self.maxStructures else { return "too many TIFF structures to clear" }
            var reader = payload.narrowed(to: index..<end)
            reader.byteOrder = isLittle ? .littleEndian : .bigEndian
            if let reason = walk(reader, base: index, steps: &steps) ?? entryPattern(reader, from: index) { return reason }
            index += 4
        }
        return nil
    }

    /// Follows every directory link from IFD0; a reason when a location tag is reached.
    private func walk(_ reader: ByteReader<[UInt8]>, base: Int, steps: inout Int) -> String? {
        guard let first = reader.u32(base + 4), reader.contains(base + first, count: 2) else {
            // Its first directory lies past the segment: a reader joining segments would find it.
            return "a TIFF structure continues past its segment"
        }
        var pending = [first]
        var seen: Set<Int> = []
        while let relative = pending.popLast() {
            let offset = base + relative
            guard relative >= 8, seen.insert(offset).inserted, let count = reader.u16(offset) else { continue }
            for entry in 0..<count {
                steps += 1
                if steps > Self.maxSteps { return "TIFF structure too large to clear" }
                let at = offset + 2 + 12 * entry
                guard let tag = reader.u16(at), let type = reader.u16(at + 2), let values = reader.u32(at + 4) else { break }
                if Self.locationTags.contains(tag) { return "a location directory is linked from a TIFF structure" }
                guard Self.directoryLinks.contains(tag), [3, 4, 13].contains(type), (1...64).contains(values) else { continue }
                let size = type == 3 ? 2 : 4
                let valuesAt = values * size <= 4 ? at + 8 : reader.u32(at + 8).map { base + $0 }
                for item in 0..<values {
                    guard let valuesAt else { break }
                    steps += 1
                    if let target = size == 2 ? reader.u16(valuesAt + 2 * item) : reader.u32(valuesAt + 4 * item) {
                        pending.append(target)
                    }
                }
            }
            if let next = reader.u32(offset + 2 + 12 * count), next != 0 { pending.append(next) }
        }
        return nil
    }

    /// A GPS link written as a directory entry anywhere in the structure's bytes (tag
    /// 0x8825 as SHORT, LONG or IFD, one value), whether or not a walk reaches it.
    private func entryPattern(_ reader: ByteReader<[UInt8]>, from start: Int) -> String? {
        var at = start + 8
        while at + 8 <= reader.window.upperBound {
            if reader.u16(at) == 0x8825, let type = reader.u16(at + 2), [3, 4, 13].contains(type), reader.u32(at + 4) == 1 {
                return "a GPS link is written in a TIFF structure"
            }
            at += 1
        }
        return nil
    }
}
