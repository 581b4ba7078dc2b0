import Bytes

/// Step: the MPF index (APP2 "MPF\0" in the primary image) says where each image of
/// the file starts and how long it is, relative to its own TIFF header. Every entry is
/// rewritten in place from the images actually in the output, so viewers find the ones
/// that moved or were scrubbed, and an entry pointing anywhere else points nowhere.
/// - Parameter moved: whether any image changed place or size.
func updateMultiPictureIndex(_ bytes: inout [UInt8], moved: Bool) {
    guard let primary = try? JPEGSegments(bytes),
          let index = primary.header.first(where: { $0.marker == 0xE2 && bytes.reader.matches(Array("MPF\u{0}".utf8), at: $0.payloadStart) }),
          let directory = TIFFDirectory(bytes, base: index.payloadStart + 4, end: index.end),
          let entries = directory.ifd0.entry(0xB002), entries.type == 7, let start = entries.valueOffset else { return }
    var images = [0..<primary.imageEnd]
    while let start = nextImageStart(bytes, after: images.last!.upperBound), let next = try? JPEGSegments(bytes, from: start) {
        images.append(next.imageStart..<next.imageEnd)
    }
    let window = directory.base..<directory.end
    let reader = ByteReader(bytes, window: window, byteOrder: directory.byteOrder)
    for number in 0..<(entries.count / 16) {
        let entry = start + 16 * number
        let image = number < images.count ? images[number] : 0..<0
        if !moved {
            // Nothing moved: an entry that points at one of the images stays as the camera
            // wrote it (some count from the file's start); one that points anywhere else
            // points nowhere, or a reader following it could be sent into a table that hides one.
            guard number > 0, let offset = reader.u32(entry + 8),
                  !images.dropFirst().contains(where: { $0.lowerBound == offset || $0.lowerBound == directory.base + offset })
            else { continue }
        }
        bytes.store32(image.count, at: entry + 4, directory.byteOrder, within: window)
        bytes.store32(number == 0 || image.isEmpty ? 0 : image.lowerBound - directory.base, at: entry + 8, directory.byteOrder, within: window)
    }
}
