import Bytes

/// What scrubbing one XMP packet came to.
enum XMPScrub: Equatable {
    case unchanged
    case rewritten([UInt8])
    /// The packet holds a position that could not be taken out alone: its holder goes.
    case remove
}

enum XMPHeader {
    static let main = Array("http://ns.adobe.com/xap/1.0/\u{0}".utf8)
    static let extended = Array("http://ns.adobe.com/xmp/extension/\u{0}".utf8)
    /// Signature, GUID (32), full length (4), offset of this chunk (4).
    static let extendedLength = extended.count + 32 + 8
    static let iptcExtension = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
    static let note = "http://ns.adobe.com/xmp/note/"
}

/// The properties that carry a position: any name containing "gps" in any case, in
/// any namespace (exif:GPS…, drone-dji:Gps…, vendors'), and IPTC's location structures.
let locationProperties = XMLTree.NameRule(
    containing: Array("gps".utf8),
    exact: [(XMPHeader.iptcExtension, "LocationCreated"), (XMPHeader.iptcExtension, "LocationShown")])

/// Removes every location property from a packet read with a real XML parser. A packet
/// the parser cannot read is kept only when the letters "gps" appear nowhere in it.
func scrubXMPPacket(_ packet: ArraySlice<UInt8>, alsoRemoving extra: [(namespace: String, localName: String)] = []) -> XMPScrub {
    guard let tree = XMLTree(packet) else {
        return containsGPSLetters(packet) ? .remove : .unchanged
    }
    var rule = locationProperties
    rule.exact += extra
    let removed = tree.remove(rule)
    return removed == 0 ? .unchanged : .rewritten(tree.serialized())
}

func containsGPSLetters<Bytes: Collection>(_ bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
    var matched = 0
    let needle: [UInt8] = [0x67, 0x70, 0x73]
    for byte in bytes {
        let lower = asciiLowercase(byte)
        matched = lower == needle[matched] ? matched + 1 : (lower == needle[0] ? 1 : 0)
        if matched == 3 { return true }
    }
    return false
}

/// Step: XMP in every form a reader takes for it.
///
/// - Main packets ("http://ns.adobe.com/xap/1.0/\0") are parsed, and their location
///   properties removed from the tree.
/// - Extended XMP is joined by GUID, in offset order, as readers join it, and judged
///   whole: where it holds a position, every part of it goes, and with it the main
///   packet's xmpNote:HasExtendedXMP.
/// - Other APP1 segments that readers take for XMP (a "http" or "XMP\0" start, or
///   "<exif:" or "<?xpacket" anywhere) go when the letters "gps" appear in them.
func scrubXMP(_ image: inout JPEGImage, _ report: inout PreparationReport) {
    var extensionParts: [[UInt8]: [(offset: Int, index: Int)]] = [:]
    for index in image.segments.indices where image.segments[index].marker == 0xE1 && !image.segments[index].isDropped {
        let segment = image.segments[index]
        let reader = segment.reader
        if reader.matches(XMPHeader.main, at: 0) {
            scrubMainPacket(&image.segments[index], &report)
        } else if reader.matches(XMPHeader.extended, at: 0) {
            guard segment.payload.count >= XMPHeader.extendedLength, let offset = reader.u32(XMPHeader.extended.count + 36) else {
                if containsGPSLetters(segment.payload) { drop(&image.segments[index], &report) }
                continue
            }
            let guid = Array(segment.payload[XMPHeader.extended.count..<(XMPHeader.extended.count + 32)])
            extensionParts[guid, default: []].append((offset, index))
        } else if tiffOffset(in: segment) == nil && exifHeaderLength(reader) == nil && isTakenForXMP(reader),
                  containsGPSLetters(segment.payload) {
            drop(&image.segments[index], &report)
        }
    }
    var extendedDropped = false
    for parts in extensionParts.values {
        // Readers join the chunks as one chain from offset 0, each starting where the last
        // ended; chunks off that chain are where a name could hide split in two.
        var joined: [UInt8] = []
        var isOneChain = true
        for part in parts.sorted(by: { $0.offset < $1.offset }) {
            let chunk = image.segments[part.index].payload[XMPHeader.extendedLength...]
            if part.offset != joined.count { isOneChain = false }
            joined += chunk
        }
        guard !isOneChain || scrubXMPPacket(joined[...]) != .unchanged else { continue }
        for part in parts { drop(&image.segments[part.index], &report) }
        extendedDropped = true
    }
    if extendedDropped {
        for index in image.segments.indices where image.segments[index].marker == 0xE1 && !image.segments[index].isDropped
            && image.segments[index].reader.matches(XMPHeader.main, at: 0) {
            scrubMainPacket(&image.segments[index], &report, alsoRemoving: [(XMPHeader.note, "HasExtendedXMP")])
        }
    }
}

private func scrubMainPacket(_ segment: inout JPEGImage.Segment, _ report: inout PreparationReport,
                             alsoRemoving extra: [(namespace: String, localName: String)] = []) {
    switch scrubXMPPacket(segment.payload[XMPHeader.main.count...], alsoRemoving: extra) {
    case .unchanged:
        break
    case .rewritten(let packet):
        let payload = XMPHeader.main + packet
        // A segment holds at most 65533 bytes after its length.
        guard payload.count <= 65533 else { return drop(&segment, &report) }
        segment.payload = payload
        segment.isEdited = true
        report.gpsRemoved = true
    case .remove:
        drop(&segment, &report)
    }
}

private func drop(_ segment: inout JPEGImage.Segment, _ report: inout PreparationReport) {
    segment.isDropped = true
    report.gpsRemoved = true
}

/// Whether a lenient reader would parse this APP1 as XMP.
private func isTakenForXMP(_ reader: ByteReader<[UInt8]>) -> Bool {
    if reader.matches(Array("http".utf8), at: 0) || reader.matches(Array("XMP\u{0}".utf8), at: 0) { return true }
    return contains(reader.bytes, Array("<exif:".utf8)) || contains(reader.bytes, Array("<?xpacket".utf8))
}

/// Substring search for a short needle whose first byte does not recur in it: linear.
private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    var matched = 0
    for byte in haystack {
        matched = byte == needle[matched] ? matched + 1 : (byte == needle[0] ? 1 : 0)
        if matched == needle.count { return true }
    }
    return false
}
