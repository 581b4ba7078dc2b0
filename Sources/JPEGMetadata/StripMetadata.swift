/// Step for `strip=all`: only what says how to show the pixels stays — the ICC
/// profile, a plain JFIF marker (its thumbnail removed) and the Adobe marker.
func stripMetadata(_ image: inout JPEGImage, _ report: inout PreparationReport) {
    for index in image.segments.indices where image.segments[index].isMetadata && !image.segments[index].isDropped {
        let segment = image.segments[index]
        switch segment.marker {
        case 0xE2 where segment.starts(with: "ICC_PROFILE\u{0}"), 0xEE where segment.starts(with: "Adobe"):
            continue
        case 0xE0 where segment.starts(with: "JFIF\u{0}") && segment.payload.count >= 14:
            // Version, units and density stay; a thumbnail after them goes.
            if segment.payload.count > 14 || segment.payload[12] != 0 || segment.payload[13] != 0 {
                image.segments[index].payload = Array(segment.payload[0..<12]) + [0, 0]
                image.segments[index].isEdited = true
            }
        default:
            image.segments[index].isDropped = true
            report.segmentsStripped += 1
        }
    }
}
