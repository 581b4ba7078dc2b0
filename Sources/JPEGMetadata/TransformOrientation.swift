/// The primary image's tables, frame header and scans after a lossless transform.
struct TransformedFrame {
    let tables: [JPEGImage.Segment]
    let scans: ArraySlice<UInt8>
    let width: Int
    let height: Int
}

/// Step: applies an EXIF orientation (2-8) to the frame with libjpeg-turbo. The
/// transform sees only the frame, so no metadata passes through libjpeg.
func transformOrientation(_ image: JPEGImage, orientation: Int) throws(PrepareError) -> TransformedFrame? {
    guard let operation = LosslessTransform.operation(forOrientation: orientation) else { return nil }
    var frameOnly: [UInt8] = [0xFF, 0xD8]
    for segment in image.structure.header where !segment.isMetadata { frameOnly += image.source[segment.start..<segment.end] }
    for piece in image.scanBytes { frameOnly += piece }
    let transformed = try LosslessTransform.apply(operation, to: frameOnly, progressive: image.structure.isProgressive)
    let result: JPEGSegments
    do {
        result = try JPEGSegments(transformed)
    } catch {
        throw .failed("transformed jpeg: \(error)")
    }
    return TransformedFrame(
        tables: result.header.filter { !$0.isMetadata }.map { JPEGImage.Segment(marker: $0.marker, payload: Array(transformed[$0.payload])) },
        scans: transformed[result.frameStart..<result.imageEnd], width: result.width, height: result.height)
}

/// After a transform the EXIF block describes the new pixels: orientation 1, the new
/// size, and no thumbnail (it would show the old orientation).
func describeTransformedPixels(_ image: inout JPEGImage, width: Int, height: Int) {
    for index in image.segments.indices where !image.segments[index].isDropped {
        guard let base = tiffOffset(in: image.segments[index]) else { continue }
        var payload = image.segments[index].payload
        guard let directory = TIFFDirectory(payload, base: base, end: payload.count) else { continue }
        let editor = ExifEditor(directory: directory)
        editor.resetOrientation(&payload)
        editor.setPixelDimensions(&payload, width: width, height: height)
        editor.removeThumbnail(&payload)
        image.segments[index].payload = payload
        image.segments[index].isEdited = true
    }
}
