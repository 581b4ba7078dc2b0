import Bytes

/// Step: a WebP without its EXIF and XMP chunks. libvips 8.14's webpsave writes an EXIF
/// block of its own making whatever `strip` says (the location is already gone by then,
/// with the image's metadata fields); this drops the chunk and its flag, so a WebP answer
/// carries no metadata at all. Read with the one bounds-checked reader; a container that
/// does not parse fails the encode (closed), it is never passed on as it is.
func stripWebPMetadata(_ webp: [UInt8]) throws(ImageError) -> [UInt8] {
    let reader = ByteReader(webp, byteOrder: .littleEndian)
    guard reader.matches("RIFF".utf8, at: 0), reader.matches("WEBP".utf8, at: 8), let riffSize = reader.u32(4),
          reader.contains(0, count: riffSize + 8) else { throw .failed(detail: "webp output: not a RIFF WEBP container") }
    let end = riffSize + 8
    var kept = Array(webp[0..<12])
    var at = 12
    var dropped = false
    while at < end {
        // A chunk: 4-byte id, 4-byte size, the payload, a pad byte when the size is odd
        // (which the last chunk may leave out).
        guard let size = reader.u32(at + 4), at + 8 + size <= end else { throw .failed(detail: "webp output: a chunk past the end") }
        let chunkEnd = min(at + 8 + size + (size & 1), end)
        if reader.matches("EXIF".utf8, at: at) || reader.matches("XMP ".utf8, at: at) {
            dropped = true
        } else {
            kept += webp[at..<chunkEnd]
        }
        at = chunkEnd
    }
    guard dropped else { return webp }
    // VP8X flags (the first byte of its payload): bit 3 EXIF, bit 2 XMP.
    if kept.count >= 21, kept[12..<16].elementsEqual("VP8X".utf8) { kept[20] &= ~UInt8(0x08 | 0x04) }
    kept.store32(kept.count - 8, at: 4, .littleEndian, within: kept.indices)
    return kept
}
