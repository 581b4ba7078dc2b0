import Bytes

/// Step: the images after the primary one (MPO views, gain maps), read one after
/// another from the end of the primary image. What is not a whole JPEG ends the
/// list: a ZIP or a script after the image would make the published file a polyglot.
/// - Returns: the images, and whether anything after them was left out.
func readTrailingImages(_ bytes: [UInt8], from start: Int) -> (images: [JPEGImage], droppedRest: Bool) {
    var images: [JPEGImage] = []
    var offset = start
    let reader = bytes.reader
    while reader.matches([0xFF, 0xD8, 0xFF], at: offset), let structure = try? JPEGSegments(bytes, from: offset) {
        images.append(JPEGImage(bytes, structure: structure))
        offset = structure.imageEnd
    }
    return (images, offset < bytes.count)
}

/// Every image in the file gets the same scrubbing as the primary one.
func scrubLocation(_ image: inout JPEGImage, _ report: inout PreparationReport) {
    scrubEXIF(&image, &report)
    scrubPhotoshopResources(&image, &report)
    scrubXMP(&image, &report)
}
