import Bytes

/// The image resource blocks of a Photoshop APP13 segment ("Photoshop 3.0\0", then
/// resources), located in place and written back without the ones asked to go.
struct PhotoshopResources {
    struct Resource {
        let id: Int
        /// The whole resource: signature, id, name, size and padded data.
        let range: Range<Int>
        let data: Range<Int>
    }

    static let header = Array("Photoshop 3.0\u{0}".utf8)
    static let signatures = ["8BIM", "PHUT", "DCSR", "AgHg", "MeSa"].map { Array($0.utf8) }

    enum ID {
        static let exif = 0x0422
        static let xmp = 0x0424
    }

    let resources: [Resource]

    /// nil when the payload is not a run of whole resources after the header.
    init?(_ payload: [UInt8]) {
        let reader = payload.reader
        guard reader.matches(Self.header, at: 0) else { return nil }
        var resources: [Resource] = []
        var offset = Self.header.count
        while offset < payload.count {
            guard Self.signatures.contains(where: { reader.matches($0, at: offset) }),
                  let id = reader.u16(offset + 4), let nameLength = reader.u8(offset + 6) else { return nil }
            // The Pascal name, with its length byte, is padded to an even size.
            let sizeAt = offset + 6 + (nameLength + 2) & ~1
            guard let size = reader.u32(sizeAt), reader.contains(sizeAt + 4, count: size) else { return nil }
            let end = min(payload.count, sizeAt + 4 + (size + 1) & ~1)
            resources.append(Resource(id: id, range: offset..<end, data: (sizeAt + 4)..<(sizeAt + 4 + size)))
            offset = end
        }
        self.resources = resources
    }

    /// The payload with some resources' data replaced, and those mapped to nil removed.
    func rebuilt(_ payload: [UInt8], replacing replacements: [Int: [UInt8]?]) -> [UInt8] {
        var output = Self.header
        for (index, resource) in resources.enumerated() {
            guard let replacement = replacements[index] else {
                output += payload[resource.range]
                continue
            }
            guard let data = replacement else { continue }
            output += payload[resource.range.lowerBound..<(resource.data.lowerBound - 4)]
            output += [UInt8(truncatingIfNeeded: data.count >> 24), UInt8(truncatingIfNeeded: data.count >> 16),
                       UInt8(truncatingIfNeeded: data.count >> 8), UInt8(truncatingIfNeeded: data.count)]
            output += data
            if data.count % 2 == 1 { output.append(0) }
        }
        return output
    }
}

private func containsPhotoshopHeader(_ payload: [UInt8]) -> Bool {
    payload.reader.matches(PhotoshopResources.header, at: 0) || payload.reader.matches(Array("Adobe_Photoshop2.5:".utf8), at: 0)
}

/// Step: EXIF (resource 0x0422) and XMP (0x0424) inside Photoshop APP13 blocks are
/// scrubbed like their APP1 counterparts; a resource that cannot be scrubbed goes.
func scrubPhotoshopResources(_ image: inout JPEGImage, _ report: inout PreparationReport) {
    for index in image.segments.indices where image.segments[index].marker == 0xED && !image.segments[index].isDropped {
        var payload = image.segments[index].payload
        guard let resources = PhotoshopResources(payload) else {
            // Resources that do not end in this segment may continue in the next, where a
            // reader joining them finds what neither shows alone: the block goes.
            if containsPhotoshopHeader(payload) {
                image.segments[index].isDropped = true
                report.segmentsStripped += 1
            }
            continue
        }
        var replacements: [Int: [UInt8]?] = [:]
        for (number, resource) in resources.resources.enumerated() {
            switch resource.id {
            case PhotoshopResources.ID.exif:
                guard isTIFFHeader(payload.reader, at: resource.data.lowerBound) else { continue }
                switch ExifEditor.removeLocation(&payload, base: resource.data.lowerBound, end: resource.data.upperBound) {
                case .noLocation: continue
                case .locationRemoved: replacements[number] = Array(payload[resource.data])
                case .unsafe: replacements[number] = .some(nil)
                }
            case PhotoshopResources.ID.xmp:
                switch scrubXMPPacket(payload[resource.data]) {
                case .unchanged: continue
                case .rewritten(let packet): replacements[number] = packet
                case .remove: replacements[number] = .some(nil)
                }
            default:
                continue
            }
        }
        guard !replacements.isEmpty else { continue }
        let rebuilt = resources.rebuilt(payload, replacing: replacements)
        report.gpsRemoved = true
        // A segment holds at most 65533 bytes after its length.
        guard rebuilt.count <= 65533 else {
            image.segments[index].isDropped = true
            continue
        }
        image.segments[index].payload = rebuilt
        image.segments[index].isEdited = true
    }
}
