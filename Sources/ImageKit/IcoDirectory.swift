/// The directory of a Windows icon (`.ico`): one entry per stored size.
///
/// Bounds-checked: an entry whose data lies outside the file is not an entry.
struct IcoDirectory {
    struct Entry {
        let index: Int
        let width: Int
        let height: Int
        let offset: Int
        let length: Int
    }

    let entries: [Entry]

    init?(_ bytes: ImageBytes) {
        guard bytes.uint16LE(at: 0) == 0, bytes.uint16LE(at: 2) == 1,
              let count = bytes.uint16LE(at: 4), (1...256).contains(count),
              6 + 16 * count <= bytes.count
        else { return nil }
        var entries: [Entry] = []
        for index in 0..<count {
            let base = 6 + 16 * index
            // A zero size byte means 256 pixels.
            let width = Int(bytes[base]) == 0 ? 256 : Int(bytes[base])
            let height = Int(bytes[base + 1]) == 0 ? 256 : Int(bytes[base + 1])
            guard bytes[base + 3] == 0, // reserved
                  let length = bytes.uint32LE(at: base + 8), let offset = bytes.uint32LE(at: base + 12),
                  length >= 8, offset >= 6 + 16 * count, offset + length <= bytes.count
            else { return nil }
            entries.append(Entry(index: index, width: width, height: height, offset: offset, length: length))
        }
        self.entries = entries
    }

    /// The entry with the most pixels (the first of equals).
    var largest: Entry {
        entries.max { $0.width * $0.height < $1.width * $1.height }!
    }
}
