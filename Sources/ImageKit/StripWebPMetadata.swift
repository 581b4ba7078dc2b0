/// Step: a WebP without its EXIF and XMP chunks. libvips 8.14's webpsave writes an EXIF
/// block of its own making whatever `strip` says (the location is already gone by then,
/// with the image's metadata fields); this drops the chunk and its flag, so a WebP answer
/// carries no metadata at all. Every chunk length is checked; anything unexpected leaves
/// the container unchanged only if it has no such chunk, else the encode fails closed.
func stripWebPMetadata(_ webp: [UInt8]) throws(ImageError) -> [UInt8] {
    func le32(_ at: Int) -> Int {
        Int(webp[at]) | Int(webp[at + 1]) << 8 | Int(webp[at + 2]) << 16 | Int(webp[at + 3]) << 24
    }
    guard webp.count >= 12, webp[0..<4].elementsEqual("RIFF".utf8), webp[8..<12].elementsEqual("WEBP".utf8),
          le32(4) + 8 <= webp.count else { throw .failed(detail: "webp output: not a RIFF WEBP container") }
    let end = le32(4) + 8
    var kept: [UInt8] = Array(webp[0..<12])
    var at = 12
    var dropped = false
    while at < end {
        guard at + 8 <= end else { throw .failed(detail: "webp output: a truncated chunk header") }
        let size = le32(at + 4)
        let total = 8 + size + (size & 1)
        guard size >= 0, at + total <= end || (at + 8 + size == end) else { throw .failed(detail: "webp output: a chunk past the end") }
        let id = String(decoding: webp[at..<(at + 4)], as: UTF8.self)
        let chunkEnd = min(at + total, end)
        if id == "EXIF" || id == "XMP " {
            dropped = true
        } else {
            kept += webp[at..<chunkEnd]
        }
        at = chunkEnd
    }
    guard dropped else { return webp }
    // VP8X flags (the first byte of its payload): bit 3 EXIF, bit 2 XMP.
    if kept.count >= 21, kept[12..<16].elementsEqual("VP8X".utf8) { kept[20] &= ~UInt8(0x08 | 0x04) }
    let riffSize = UInt32(kept.count - 8)
    for byte in 0..<4 { kept[4 + byte] = UInt8(truncatingIfNeeded: riffSize >> (8 * UInt32(byte))) }
    return kept
}
