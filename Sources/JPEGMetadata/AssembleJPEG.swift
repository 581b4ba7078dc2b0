/// Step: the bytes of one image — SOI, the segments still in it, then its scans
/// (or, after a transform, the transformed tables and scans in place of the originals).
func assemble(_ image: JPEGImage, transformed: TransformedFrame? = nil) -> [UInt8] {
    guard image.isChanged || transformed != nil else {
        return Array(image.source[image.structure.imageStart..<image.structure.imageEnd])
    }
    var output: [UInt8] = [0xFF, 0xD8]
    output.reserveCapacity(image.structure.imageEnd - image.structure.frameStart + 4096)
    func write(_ segment: JPEGImage.Segment) {
        output += [0xFF, segment.marker, UInt8(truncatingIfNeeded: (segment.payload.count + 2) >> 8),
                   UInt8(truncatingIfNeeded: segment.payload.count + 2)]
        output += segment.payload
    }
    if let transformed {
        for segment in image.segments where segment.isMetadata && !segment.isDropped { write(segment) }
        for segment in transformed.tables { write(segment) }
        output += transformed.scans
    } else {
        for segment in image.segments where !segment.isDropped { write(segment) }
        for piece in image.scanBytes { output += piece }
    }
    return output
}
