import Bytes

/// Step: the MPF index (APP2 "MPF\0" in the primary image) says where each image of
/// the file starts and how long it is, relative to its own TIFF header. Images that
/// were scrubbed, or that moved because the primary image changed, get their entries
/// rewritten in place, so viewers and readers still find them.
func updateMultiPictureIndex(_ bytes: inout [UInt8]) {
    guard let primary = try? JPEGSegments(bytes),
          let index = primary.header.first(where: { $0.marker == 0xE2 && bytes.reader.matches(Array("MPF\u{0}".utf8), at: $0.payloadStart) }),
          let directory = TIFFDirectory(bytes, base: index.payloadStart + 4, end: index.end),
          let entries = directory.ifd0.entry(0xB002), entries.type == 7, let start = entries.valueOffset else { return }
    var images = [0..<primary.imageEnd]
    while let next = try? JPEGSegments(bytes, from: images.last!.upperBound) { images.append(next.imageStart..<next.imageEnd) }
    let window = directory.base..<directory.end
    for (number, image) in images.enumerated().prefix(entries.count / 16) {
        let entry = start + 16 * number
        bytes.store32(image.count, at: entry + 4, directory.byteOrder, within: window)
        bytes.store32(number == 0 ? 0 : image.lowerBound - directory.base, at: entry + 8, directory.byteOrder, within: window)
    }
}
