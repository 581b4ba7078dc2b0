import Bytes

/// Step: every TIFF structure that a metadata reader takes for EXIF loses its GPS
/// directories in place; a block that cannot be edited safely goes whole.
///
/// The forms readers accept, not only the canonical one: APP1 with "Exif\0" in any
/// case after up to four bytes of anything and then any byte, APP1 "PARROT\0",
/// and APP3 "Meta", "META" or "Exif" blocks. An APP1 "Exif\0\0" with no TIFF
/// header after it continues the block before it (readers join the two), so it goes.
func scrubEXIF(_ image: inout JPEGImage, _ report: inout PreparationReport) {
    for index in image.segments.indices where !image.segments[index].isDropped {
        let segment = image.segments[index]
        if segment.marker == 0xE1 && segment.starts(with: "FLIR\u{0}") {
            // FLIR's thermal records keep a GPS position in binary, beside the radiometry.
            image.segments[index].isDropped = true
            report.gpsRemoved = true
            continue
        }
        guard let base = tiffOffset(in: segment) else {
            if segment.marker == 0xE1 && exifHeaderLength(segment.reader) != nil {
                image.segments[index].isDropped = true
                report.exifDropped = true
            }
            continue
        }
        var payload = segment.payload
        switch ExifEditor.removeLocation(&payload, base: base, end: payload.count) {
        case .noLocation:
            continue
        case .locationRemoved:
            image.segments[index].payload = payload
            image.segments[index].isEdited = true
            report.gpsRemoved = true
        case .unsafe:
            image.segments[index].isDropped = true
            report.exifDropped = true
            report.gpsRemoved = true
        }
    }
}

/// Where the TIFF header of an EXIF-bearing segment starts in its payload, or nil.
func tiffOffset(in segment: JPEGImage.Segment) -> Int? {
    let reader = segment.reader
    let candidate: Int?
    switch segment.marker {
    case 0xE1:
        candidate = exifHeaderLength(reader) ?? (segment.starts(with: "PARROT\u{0}") ? 7 : nil)
    case 0xE3:
        candidate = ["Meta\u{0}\u{0}", "META\u{0}\u{0}", "Exif\u{0}\u{0}"].contains { segment.starts(with: $0) } ? 6 : nil
    default:
        candidate = nil
    }
    guard let candidate, isTIFFHeader(reader, at: candidate) else { return nil }
    return candidate
}

/// Length of an APP1 EXIF header as lenient readers accept it: up to four bytes, "Exif\0" in any case, one byte.
func exifHeaderLength(_ reader: ByteReader<[UInt8]>) -> Int? {
    (0...4).first { reader.matchesIgnoringCase(Array("exif\u{0}".utf8), at: $0) && reader.contains($0, count: 6) }
        .map { $0 + 6 }
}

func isTIFFHeader(_ reader: ByteReader<[UInt8]>, at offset: Int) -> Bool {
    reader.matches([0x49, 0x49, 0x2A, 0x00], at: offset) || reader.matches([0x4D, 0x4D, 0x00, 0x2A], at: offset)
}

/// Step: the primary image's orientation, from the first EXIF block; a value outside
/// 1-8 is rewritten to 1, which is how browsers show it.
func normaliseOrientation(_ image: inout JPEGImage) -> Int {
    for index in image.segments.indices where !image.segments[index].isDropped && image.segments[index].marker == 0xE1 {
        guard let base = tiffOffset(in: image.segments[index]) else { continue }
        var payload = image.segments[index].payload
        guard let directory = TIFFDirectory(payload, base: base, end: payload.count),
              let entry = directory.ifd0.entry(TIFFDirectory.Tag.orientation),
              let value = directory.value(of: entry, in: payload) else { return 1 }
        if (1...8).contains(value) { return value }
        ExifEditor(directory: directory).resetOrientation(&payload)
        if payload != image.segments[index].payload {
            image.segments[index].payload = payload
            image.segments[index].isEdited = true
        }
        return 1
    }
    return 1
}
