/// The privacy step for published photos: location data out, orientation applied
/// losslessly, everything else left as it was.
///
/// A list of named steps: read the segments (the whole image must be there) → scrub
/// EXIF → scrub Photoshop resources → scrub XMP → scrub the images that follow →
/// transform the orientation → assemble → detect what is left, independently →
/// point the MPF index at the images where they now are.
/// A file with no location, orientation 1 and nothing after its images comes back
/// byte-identical.
public func prepareJPEG(_ input: [UInt8], policy: MetadataPolicy) throws(PrepareError) -> PreparedJPEG {
    var report = PreparationReport()
    var primary = try readPrimaryImage(input)
    var (trailing, droppedRest) = readTrailingImages(input, from: primary.structure.imageEnd)

    scrubLocation(&primary, &report)
    for index in trailing.indices { scrubLocation(&trailing[index], &report) }
    if policy == .keepColourProfileOnly {
        stripMetadata(&primary, &report)
        droppedRest = droppedRest || !trailing.isEmpty
        trailing = []
    }
    for image in [primary] + trailing {
        report.segmentsStripped += image.structure.scanMetadata.count
        if image.structure.scanMetadata.contains(where: { containsGPSLetters(input[$0.start..<$0.end]) }) { report.gpsRemoved = true }
    }
    if droppedRest { report.segmentsStripped += 1 }

    let orientation = normaliseOrientation(&primary)
    let transformed = try transformOrientation(primary, orientation: orientation)
    if let transformed { describeTransformedPixels(&primary, width: transformed.width, height: transformed.height) }

    let unchanged = transformed == nil && !droppedRest && !primary.isChanged && !trailing.contains(where: \.isChanged)
    var output = unchanged ? input : assemble(primary, transformed: transformed) + trailing.flatMap { assemble($0) }
    output = try detectLocation(output, &report)
    // Most files have no MPF index: only those are walked again.
    if primary.segments.contains(where: { !$0.isDropped && $0.marker == 0xE2 && $0.starts(with: "MPF\u{0}") }) {
        updateMultiPictureIndex(&output, moved: output != input)
    }

    let (width, height) = transformed.map { ($0.width, $0.height) } ?? (primary.structure.width, primary.structure.height)
    let swaps = orientation >= 5
    return PreparedJPEG(
        bytes: output, gpsRemoved: report.gpsRemoved, orientationApplied: transformed == nil ? 1 : orientation,
        trimmedWidth: transformed == nil ? 0 : (swaps ? primary.structure.height : primary.structure.width) - width,
        trimmedHeight: transformed == nil ? 0 : (swaps ? primary.structure.width : primary.structure.height) - height,
        exifDropped: report.exifDropped, segmentsStripped: report.segmentsStripped, detectorDrops: report.detectorDrops,
        width: width, height: height)
}

/// Step: the primary image's segments and scans.
func readPrimaryImage(_ input: [UInt8]) throws(PrepareError) -> JPEGImage {
    do {
        return JPEGImage(input, structure: try JPEGSegments(input))
    } catch .notJPEG {
        throw .notJPEG
    } catch {
        throw .corrupt("jpeg structure: \(error)")
    }
}
