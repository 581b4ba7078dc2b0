import Bytes

/// Step: the images after the primary one (MPO views, gain maps), read one after
/// another from the end of the primary image. What is not a whole JPEG ends the
/// list: a ZIP or a script after the image would make the published file a polyglot.
/// - Returns: the images, and whether anything after them was left out.
func readTrailingImages(_ bytes: [UInt8], from start: Int) -> (images: [JPEGImage], droppedRest: Bool) {
    var images: [JPEGImage] = []
    var offset = start
    while let next = nextImageStart(bytes, after: offset), let structure = try? JPEGSegments(bytes, from: next) {
        images.append(JPEGImage(bytes, structure: structure))
        offset = structure.imageEnd
    }
    return (images, offset < bytes.count)
}

/// Where the next image starts after `end`: at once, or after a few bytes of padding
/// (0x00 or 0xFF) that cameras write between the images of an MPO file.
func nextImageStart(_ bytes: [UInt8], after end: Int) -> Int? {
    let reader = bytes.reader
    var offset = end
    while offset - end < 64, let byte = reader.u8(offset), byte == 0x00 || (byte == 0xFF && reader.u8(offset + 1) != 0xD8) {
        offset += 1
    }
    return reader.matches([0xFF, 0xD8, 0xFF], at: offset) ? offset : nil
}

/// Every image in the file gets the same scrubbing as the primary one.
func scrubLocation(_ image: inout JPEGImage, _ report: inout PreparationReport) {
    scrubEXIF(&image, &report)
    scrubPhotoshopResources(&image, &report)
    scrubXMP(&image, &report)
}
