import Bytes

/// The directory of a Windows icon (`.ico`): one entry per stored size.
///
/// Bounds-checked: an entry whose data lies outside the file is not an entry.
package struct IcoDirectory {
    package struct Entry {
        let index: Int
        let width: Int
        let height: Int
        package let offset: Int
        package let length: Int
    }

    package let entries: [Entry]

    package init?(_ bytes: ImageBytes) {
        let reader = bytes.reader(.littleEndian)
        guard reader.u16(0) == 0, reader.u16(2) == 1,
              let count = reader.u16(4), (1...256).contains(count), reader.contains(6, count: 16 * count)
        else { return nil }
        var entries: [Entry] = []
        for index in 0..<count {
            let base = 6 + 16 * index
            guard let storedWidth = reader.u8(base), let storedHeight = reader.u8(base + 1),
                  reader.u8(base + 3) == 0, // reserved
                  let length = reader.u32(base + 8), let offset = reader.u32(base + 12),
                  length >= 8, offset >= 6 + 16 * count, reader.contains(offset, count: length)
            else { return nil }
            // A zero size byte means 256 pixels.
            entries.append(Entry(index: index, width: storedWidth == 0 ? 256 : storedWidth,
                                 height: storedHeight == 0 ? 256 : storedHeight, offset: offset, length: length))
        }
        self.entries = entries
    }

    /// The entry with the most pixels (the first of equals).
    var largest: Entry {
        entries.max { $0.width * $0.height < $1.width * $1.height }!
    }
}
