/// The privacy step for published photos: location data out, orientation
/// applied losslessly, everything else left as it was.
///
/// Data after the image is kept only when it is another JPEG (MPO, gain maps).
///
/// Steps: parse the segments (the whole image must be there) → scrub every
/// EXIF block → scrub XMP → transform the frame if the orientation asks for
/// it → reassemble. A file with no GPS and orientation 1 comes back
/// byte-identical.
func prepareJPEG(_ input: [UInt8], policy: MetadataPolicy, limits: ImageLimits? = nil) throws(ImageError) -> PreparedJPEG {
    let segments: JPEGSegments
    do {
        segments = try JPEGSegments(input)
    } catch {
        throw .corrupt(detail: "jpeg structure: \(error)")
    }
    if let limits {
        var info = ImageInfo(format: .jpeg, width: segments.width, height: segments.height, frames: 1, orientation: 1)
        info.scans = input.withUnsafeBytes(JPEGSegments.scanCount)
        try checkLimits(info, limits)
    }
    var bytes = input
    var gpsRemoved = false
    var exifDropped = false
    var orientation = 1
    var editors: [ExifEditor] = []
    var dropped: Set<Int> = []

    for (index, segment) in segments.header.enumerated() where segment.marker == 0xE1 {
        if bytes.hasSignature(JPEGSegments.exifSignature, at: segment.payloadStart) {
            let parsed = TIFFDirectory(bytes, base: segment.payloadStart + 6, end: segment.end)
            guard let directory = parsed, directory.isSafeToEdit else {
                // Cannot prove it holds no location: the whole block goes.
                dropped.insert(index)
                exifDropped = true
                gpsRemoved = true
                if let parsed, orientation == 1 { orientation = readOrientation(parsed, bytes) }
                continue
            }
            if orientation == 1 { orientation = readOrientation(directory, bytes) }
            let editor = ExifEditor(directory: directory)
            if editor.removeGPS(&bytes) { gpsRemoved = true }
            if LibexifCrossCheck.findsGPS(in: bytes, range: segment.payloadStart..<segment.end) {
                dropped.insert(index)
                exifDropped = true
                gpsRemoved = true
                continue
            }
            editors.append(editor)
        } else if bytes.hasSignature(JPEGSegments.xmpSignature, at: segment.payloadStart)
                    || bytes.hasSignature(JPEGSegments.extendedXMPSignature, at: segment.payloadStart) {
            if XMPLocationScrubber.scrub(&bytes, in: segment.payloadStart..<segment.end) { gpsRemoved = true }
        }
    }
    // Images after the primary one (MPO, Ultra HDR gain maps) carry EXIF of their own.
    if scrubTrailingExif(&bytes, from: segments.imageEnd) { gpsRemoved = true }

    var keep: [JPEGSegments.Segment] = []
    var stripped = 0
    for (index, segment) in segments.header.enumerated() where !dropped.contains(index) {
        if policy == .keepColourProfileOnly && isStrippable(segment, bytes) {
            stripped += 1
            continue
        }
        keep.append(segment)
    }
    // Further images (MPO, gain maps) stay; anything else after the image (a ZIP,
    // a script) would turn the published file into a polyglot, so it goes.
    let keepsTrailing = policy == .removeLocation && bytes.hasSignature([0xFF, 0xD8, 0xFF], at: segments.imageEnd)
    let trailing = keepsTrailing ? Array(bytes[segments.imageEnd...]) : []
    if !keepsTrailing && segments.imageEnd < bytes.count { stripped += 1 }

    guard let operation = LosslessTransform.operation(forOrientation: orientation) else {
        if dropped.isEmpty && stripped == 0 && !gpsRemoved {
            return PreparedJPEG(bytes: input, gpsRemoved: false, orientationApplied: 1, trimmedWidth: 0, trimmedHeight: 0,
                                exifDropped: false, segmentsStripped: 0, width: segments.width, height: segments.height)
        }
        if dropped.isEmpty && stripped == 0 {
            // Only in-place edits: the edited copy is the answer.
            return PreparedJPEG(bytes: bytes, gpsRemoved: gpsRemoved, orientationApplied: 1, trimmedWidth: 0, trimmedHeight: 0,
                                exifDropped: false, segmentsStripped: 0, width: segments.width, height: segments.height)
        }
        var output: [UInt8] = [0xFF, 0xD8]
        output.reserveCapacity(bytes.count)
        for segment in keep { output += bytes[segment.start..<segment.end] }
        output += bytes[segments.frameStart..<segments.imageEnd]
        output += trailing
        return PreparedJPEG(bytes: output, gpsRemoved: gpsRemoved, orientationApplied: 1, trimmedWidth: 0, trimmedHeight: 0,
                            exifDropped: exifDropped, segmentsStripped: stripped, width: segments.width, height: segments.height)
    }

    // The transform sees only the frame, so no metadata passes through libjpeg.
    var frameOnly: [UInt8] = [0xFF, 0xD8]
    for segment in segments.header where !isMetadata(segment.marker) { frameOnly += input[segment.start..<segment.end] }
    frameOnly += input[segments.frameStart..<segments.imageEnd]
    let transformed = try LosslessTransform.apply(
        operation, to: frameOnly,
        progressive: segments.frameMarker == 0xC2 || segments.frameMarker == 0xCA,
        arithmetic: segments.frameMarker >= 0xC9)
    let result: JPEGSegments
    do {
        result = try JPEGSegments(transformed)
    } catch {
        throw .failed(detail: "transformed jpeg: \(error)")
    }
    let swaps = orientation >= 5
    let expectedWidth = swaps ? segments.height : segments.width
    let expectedHeight = swaps ? segments.width : segments.height
    for editor in editors {
        editor.resetOrientation(&bytes)
        editor.setPixelDimensions(&bytes, width: result.width, height: result.height)
        editor.removeThumbnail(&bytes)
    }
    var output: [UInt8] = [0xFF, 0xD8]
    output.reserveCapacity(bytes.count + transformed.count)
    for segment in keep where isMetadata(segment.marker) { output += bytes[segment.start..<segment.end] }
    for segment in result.header where !isMetadata(segment.marker) { output += transformed[segment.start..<segment.end] }
    output += transformed[result.frameStart..<result.imageEnd]
    output += trailing
    return PreparedJPEG(bytes: output, gpsRemoved: gpsRemoved, orientationApplied: orientation,
                        trimmedWidth: expectedWidth - result.width, trimmedHeight: expectedHeight - result.height,
                        exifDropped: exifDropped, segmentsStripped: stripped, width: result.width, height: result.height)
}

private func readOrientation(_ directory: TIFFDirectory, _ bytes: [UInt8]) -> Int {
    guard let entry = directory.ifd0.entry(TIFFDirectory.Tag.orientation),
          let value = directory.value(of: entry, in: bytes), (1...8).contains(value) else { return 1 }
    return value
}

/// APPn and COM segments: metadata, as opposed to the tables and frame header.
private func isMetadata(_ marker: UInt8) -> Bool { (0xE0...0xEF).contains(marker) || marker == 0xFE }

/// Under `strip=all`: every metadata segment but ICC profiles, JFIF (APP0) and Adobe (APP14).
private func isStrippable(_ segment: JPEGSegments.Segment, _ bytes: [UInt8]) -> Bool {
    switch segment.marker {
    case 0xE0, 0xEE: false
    case 0xE2: !bytes.hasSignature(JPEGSegments.iccSignature, at: segment.payloadStart)
    default: isMetadata(segment.marker)
    }
}

/// Finds EXIF blocks after the primary image and removes their GPS data in
/// place; a block that cannot be edited safely is overwritten with zeros.
private func scrubTrailingExif(_ bytes: inout [UInt8], from start: Int) -> Bool {
    let signature: [UInt8] = [0xFF, 0xE1]
    var changed = false
    var index = start
    while index + 10 < bytes.count {
        guard bytes[index] == 0xFF, bytes.hasSignature(signature, at: index),
              bytes.hasSignature(JPEGSegments.exifSignature, at: index + 4) else { index += 1; continue }
        let length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
        guard length >= 8 else {
            // Too short to hold the EXIF it announces: only a lenient reader would look
            // past its length, so the signature itself goes.
            for position in (index + 4)..<(index + 10) { bytes[position] = 0 }
            changed = true
            index += 10
            continue
        }
        let end = min(bytes.count, index + 2 + length)
        if let directory = TIFFDirectory(bytes, base: index + 10, end: end), directory.isSafeToEdit {
            if ExifEditor(directory: directory).removeGPS(&bytes) { changed = true }
        } else {
            for position in (index + 10)..<end { bytes[position] = 0 }
            changed = true
        }
        index = end
    }
    return changed
}
