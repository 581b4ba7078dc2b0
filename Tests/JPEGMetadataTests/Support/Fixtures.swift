import Foundation

/// The bytes of a file in TestImages/.
func testImageBytes(_ name: String) throws -> [UInt8] {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    return [UInt8](try Data(contentsOf: root.appendingPathComponent("TestImages/\(name)")))
}

/// A little-endian TIFF structure built from directories that link to each other,
/// for crafting EXIF blocks with GPS directories in every place a reader looks.
final class TIFFDirectoryBuilder {
    struct Entry {
        let tag: Int
        let type: Int
        let count: Int
        let data: [UInt8]
    }

    var entries: [Entry] = []
    /// Entries whose value is the offset of other directories (one, or several for SubIFDs).
    var links: [(tag: Int, directories: [TIFFDirectoryBuilder])] = []
    var next: TIFFDirectoryBuilder?

    init(_ entries: [Entry] = []) { self.entries = entries }

    static func short(_ tag: Int, _ value: Int) -> Entry { Entry(tag: tag, type: 3, count: 1, data: le(value, 2) + [0, 0]) }
    static func ascii(_ tag: Int, _ text: String) -> Entry {
        let bytes = Array(text.utf8) + [0]
        return Entry(tag: tag, type: 2, count: bytes.count, data: bytes)
    }
    /// A GPS directory holding a position: 48° 51' 30" N, 2° 17' 40" E.
    static func gps() -> TIFFDirectoryBuilder {
        TIFFDirectoryBuilder([
            Entry(tag: 0, type: 1, count: 4, data: [2, 3, 0, 0]),
            ascii(1, "N"),
            Entry(tag: 2, type: 5, count: 3, data: rationals([48, 51, 30])),
            ascii(3, "E"),
            Entry(tag: 4, type: 5, count: 3, data: rationals([2, 17, 40])),
        ])
    }
    /// The bytes of the latitude's rationals: what must not survive anywhere.
    static let latitudeBytes = rationals([48, 51, 30])

    static func rationals(_ values: [Int]) -> [UInt8] { values.flatMap { le($0, 4) + le(1, 4) } }
    static func le(_ value: Int, _ size: Int) -> [UInt8] { (0..<size).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

    /// "II*\0", the first directory at 8, everything laid out after it.
    func build() -> [UInt8] {
        var order: [TIFFDirectoryBuilder] = []
        var queue = [self]
        while let directory = queue.first {
            queue.removeFirst()
            guard !order.contains(where: { $0 === directory }) else { continue }
            order.append(directory)
            queue += directory.links.flatMap(\.directories)
            if let next = directory.next { queue.append(next) }
        }
        var offsets: [ObjectIdentifier: Int] = [:]
        var position = 8
        for directory in order {
            offsets[ObjectIdentifier(directory)] = position
            position += directory.size
        }
        var output: [UInt8] = [0x49, 0x49, 42, 0] + Self.le(8, 4)
        for directory in order {
            output += directory.bytes(at: offsets[ObjectIdentifier(directory)]!, offsets: offsets)
        }
        return output
    }

    private var allEntries: [Entry] {
        entries + links.map { link in
            Entry(tag: link.tag, type: 4, count: link.directories.count, data: Array(repeating: 0, count: 4 * link.directories.count))
        }
    }

    private var size: Int {
        let entries = allEntries
        return 2 + 12 * entries.count + 4 + entries.reduce(0) { $0 + ($1.data.count > 4 ? $1.data.count : 0) }
    }

    private func bytes(at offset: Int, offsets: [ObjectIdentifier: Int]) -> [UInt8] {
        var entries = allEntries
        for (index, link) in links.enumerated() {
            let linked = link.directories.flatMap { Self.le(offsets[ObjectIdentifier($0)]!, 4) }
            entries[self.entries.count + index] = Entry(tag: link.tag, type: 4, count: link.directories.count, data: linked)
        }
        entries.sort { $0.tag < $1.tag }
        var head = Self.le(entries.count, 2)
        var values: [UInt8] = []
        let valueOffset = offset + 2 + 12 * entries.count + 4
        for entry in entries {
            head += Self.le(entry.tag, 2) + Self.le(entry.type, 2) + Self.le(entry.count, 4)
            if entry.data.count <= 4 {
                head += entry.data + Array(repeating: 0, count: 4 - entry.data.count)
            } else {
                head += Self.le(valueOffset + values.count, 4)
                values += entry.data
            }
        }
        head += Self.le(next.map { offsets[ObjectIdentifier($0)]! } ?? 0, 4)
        return head + values
    }
}

/// JPEG files made from a real one with segments put in front of its own.
enum JPEGFixture {
    /// A whole small JPEG from TestImages (no metadata of its own but JFIF).
    static func base() throws -> [UInt8] { try testImageBytes("tiny-1x1.jpg") }

    static func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
        [0xFF, marker, UInt8((payload.count + 2) >> 8), UInt8((payload.count + 2) & 0xFF)] + payload
    }

    /// `segments` inserted right after the SOI of `base`.
    static func with(_ segments: [[UInt8]], base: [UInt8]) -> [UInt8] {
        Array(base[0..<2]) + segments.flatMap { $0 } + Array(base[2...])
    }

    static func exif(_ tiff: [UInt8], header: [UInt8] = Array("Exif\u{0}\u{0}".utf8)) -> [UInt8] { segment(0xE1, header + tiff) }

    static func xmp(_ xml: String) -> [UInt8] {
        segment(0xE1, Array("http://ns.adobe.com/xap/1.0/\u{0}".utf8) + Array(xml.utf8))
    }

    static func packet(_ body: String) -> String {
        """
        <?xpacket begin="\u{FEFF}" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\(body)</rdf:RDF></x:xmpmeta><?xpacket end="w"?>
        """
    }
}

extension Array where Element == UInt8 {
    func contains(_ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return false }
        return (0...(count - needle.count)).contains { self[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
