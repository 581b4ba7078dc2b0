/// In-place edits of an EXIF block: nothing moves except the entries of IFD0
/// after a removed GPS pointer, so maker notes and unknown tags keep their
/// offsets and bytes.
///
/// libexif's own save rewrites the whole block (dropping unknown tags and
/// moving maker notes), so it is not used for writing.
struct ExifEditor {
    let directory: TIFFDirectory

    /// Empties the GPS directory (its entries and out-of-line values become
    /// zeros) and removes the pointer to it from IFD0. Returns whether there was one.
    func removeGPS(_ bytes: inout [UInt8]) -> Bool {
        guard let pointer = directory.ifd0.entry(TIFFDirectory.Tag.gpsPointer) else { return false }
        if let gps = directory.gps {
            for entry in gps.entries where entry.valueLength > 4 {
                if let at = entry.valueOffset { zero(&bytes, at, entry.valueLength) }
            }
            zero(&bytes, gps.offset, gps.nextPointerOffset + 4 - gps.offset)
        }
        removeEntry(pointer, from: directory.ifd0, &bytes)
        return true
    }

    /// Sets Orientation to 1 (top-left), in place.
    func resetOrientation(_ bytes: inout [UInt8]) {
        if let entry = directory.ifd0.entry(TIFFDirectory.Tag.orientation), entry.type == 3, let at = entry.valueOffset {
            write16(&bytes, at, 1)
        }
    }

    /// Updates PixelXDimension and PixelYDimension, when present, to the new size.
    func setPixelDimensions(_ bytes: inout [UInt8], width: Int, height: Int) {
        for (tag, value) in [(TIFFDirectory.Tag.pixelXDimension, width), (TIFFDirectory.Tag.pixelYDimension, height)] {
            guard let entry = directory.exif?.entry(tag), let at = entry.valueOffset else { continue }
            if entry.type == 3, value <= 0xFFFF { write16(&bytes, at, value) }
            if entry.type == 4 { write32(&bytes, at, value) }
        }
    }

    /// Unlinks the thumbnail directory (IFD1) and zeroes the thumbnail it points to:
    /// after a rotation it would show the old orientation.
    func removeThumbnail(_ bytes: inout [UInt8]) {
        if let ifd1 = directory.ifd1 {
            if let offset = ifd1.entry(TIFFDirectory.Tag.thumbnailOffset).flatMap({ directory.value(of: $0, in: bytes) }),
               let length = ifd1.entry(TIFFDirectory.Tag.thumbnailLength).flatMap({ directory.value(of: $0, in: bytes) }),
               offset >= 8, directory.base + offset + length <= directory.end {
                zero(&bytes, directory.base + offset, length)
            }
            zero(&bytes, ifd1.offset, ifd1.nextPointerOffset + 4 - ifd1.offset)
        }
        write32(&bytes, directory.ifd0.nextPointerOffset, 0)
    }

    /// Drops one entry: later entries move up by 12 bytes, the count and the
    /// next-IFD pointer follow, and the freed slot becomes zeros.
    private func removeEntry(_ entry: TIFFDirectory.Entry, from ifd: TIFFDirectory.IFD, _ bytes: inout [UInt8]) {
        let next = Array(bytes[ifd.nextPointerOffset..<(ifd.nextPointerOffset + 4)])
        let tail = Array(bytes[(entry.entryOffset + 12)..<ifd.nextPointerOffset])
        bytes.replaceSubrange(entry.entryOffset..<(entry.entryOffset + tail.count), with: tail)
        let newNext = entry.entryOffset + tail.count
        bytes.replaceSubrange(newNext..<(newNext + 4), with: next)
        zero(&bytes, newNext + 4, 12)
        write16(&bytes, ifd.offset, ifd.entries.count - 1)
    }

    private func zero(_ bytes: inout [UInt8], _ at: Int, _ length: Int) {
        guard length > 0, at >= directory.base, at + length <= directory.end else { return }
        for index in at..<(at + length) { bytes[index] = 0 }
    }

    private func write16(_ bytes: inout [UInt8], _ at: Int, _ value: Int) {
        guard at >= directory.base, at + 2 <= directory.end else { return }
        let (a, b) = (UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF))
        (bytes[at], bytes[at + 1]) = directory.littleEndian ? (b, a) : (a, b)
    }

    private func write32(_ bytes: inout [UInt8], _ at: Int, _ value: Int) {
        guard at >= directory.base, at + 4 <= directory.end else { return }
        let big = [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
        let ordered = directory.littleEndian ? Array(big.reversed()) : big
        for index in 0..<4 { bytes[at + index] = ordered[index] }
    }
}
