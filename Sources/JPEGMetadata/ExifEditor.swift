import Bytes

/// In-place edits of a TIFF structure: nothing moves except the entries of a
/// directory after a removed GPS pointer, so maker notes and unknown tags keep
/// their offsets and bytes.
///
/// libexif's own save rewrites the whole block (dropping unknown tags and
/// moving maker notes), so it is not used for writing.
struct ExifEditor {
    let directory: TIFFDirectory
    private var window: Range<Int> { directory.base..<directory.end }

    /// What scrubbing one TIFF structure came to.
    enum Outcome: Equatable {
        case noLocation
        case locationRemoved
        /// A location may be reachable in a way this editor cannot undo: the holder must go.
        case unsafe
    }

    /// More GPS links than any camera writes: past this the block goes instead.
    static let maxGPSLinks = 8

    /// Removes every GPS directory from the TIFF structure at `base`, one link at a
    /// time, reading the structure again after each edit.
    static func removeLocation(_ bytes: inout [UInt8], base: Int, end: Int) -> Outcome {
        var removed = false
        for _ in 0...maxGPSLinks {
            guard let directory = TIFFDirectory(bytes, base: base, end: end) else {
                return removed ? .unsafe : .noLocation
            }
            guard directory.isSafeToEdit else { return .unsafe }
            guard let link = directory.gpsLinks.first else { return removed ? .locationRemoved : .noLocation }
            ExifEditor(directory: directory).remove(link, &bytes)
            removed = true
        }
        return .unsafe
    }

    /// Empties a GPS directory (its entries and out-of-line values become zeros)
    /// and removes the pointer to it from the directory that holds it.
    func remove(_ link: TIFFDirectory.GPSLink, _ bytes: inout [UInt8]) {
        if let gps = link.directory {
            for entry in gps.entries where entry.valueLength > 4 {
                if let at = entry.valueOffset { bytes.zero(at, count: entry.valueLength, within: window) }
            }
            bytes.zero(gps.offset, count: gps.nextPointerOffset + 4 - gps.offset, within: window)
        }
        removeEntry(link.pointer, from: link.owner, &bytes)
    }

    /// Sets Orientation to 1 (top-left), in place.
    func resetOrientation(_ bytes: inout [UInt8]) {
        if let entry = directory.ifd0.entry(TIFFDirectory.Tag.orientation), entry.type == 3, let at = entry.valueOffset {
            bytes.store16(1, at: at, directory.byteOrder, within: window)
        }
    }

    /// Updates PixelXDimension and PixelYDimension, when present, to the new size.
    func setPixelDimensions(_ bytes: inout [UInt8], width: Int, height: Int) {
        for (tag, value) in [(TIFFDirectory.Tag.pixelXDimension, width), (TIFFDirectory.Tag.pixelYDimension, height)] {
            guard let entry = directory.exif?.entry(tag), let at = entry.valueOffset else { continue }
            if entry.type == 3, value <= 0xFFFF { bytes.store16(value, at: at, directory.byteOrder, within: window) }
            if entry.type == 4 { bytes.store32(value, at: at, directory.byteOrder, within: window) }
        }
    }

    /// Unlinks the thumbnail directory (IFD1) and zeroes the thumbnail it points to:
    /// after a rotation it would show the old orientation.
    func removeThumbnail(_ bytes: inout [UInt8]) {
        if let ifd1 = directory.ifd1 {
            if let offset = ifd1.entry(TIFFDirectory.Tag.thumbnailOffset).flatMap({ directory.value(of: $0, in: bytes) }),
               let length = ifd1.entry(TIFFDirectory.Tag.thumbnailLength).flatMap({ directory.value(of: $0, in: bytes) }),
               offset >= 8 {
                bytes.zero(directory.base + offset, count: length, within: window)
            }
            bytes.zero(ifd1.offset, count: ifd1.nextPointerOffset + 4 - ifd1.offset, within: window)
        }
        bytes.store32(0, at: directory.ifd0.nextPointerOffset, directory.byteOrder, within: window)
    }

    /// Drops one entry: later entries move up by 12 bytes, the count and the
    /// next-IFD pointer follow, and the freed slot becomes zeros.
    private func removeEntry(_ entry: TIFFDirectory.Entry, from ifd: TIFFDirectory.IFD, _ bytes: inout [UInt8]) {
        let reader = ByteReader(bytes, window: window)
        guard let tail = reader.slice(entry.entryOffset + 12, count: ifd.nextPointerOffset - entry.entryOffset - 12),
              let next = reader.slice(ifd.nextPointerOffset, count: 4) else {
            // The entry cannot move: blank it instead (tag 0, type 0 is ignored by readers).
            bytes.zero(entry.entryOffset, count: 12, within: window)
            return
        }
        let (moved, pointer) = (Array(tail), Array(next))
        bytes.replaceSubrange(entry.entryOffset..<(entry.entryOffset + moved.count), with: moved)
        let newNext = entry.entryOffset + moved.count
        bytes.replaceSubrange(newNext..<(newNext + 4), with: pointer)
        bytes.zero(newNext + 4, count: 12, within: window)
        bytes.store16(ifd.entries.count - 1, at: ifd.offset, directory.byteOrder, within: window)
    }
}
