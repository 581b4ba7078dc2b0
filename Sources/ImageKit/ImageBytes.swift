/// An upload's bytes at a fixed address for as long as any image made from them lives.
///
/// libvips reads buffers lazily and never copies them, so the memory a loaded
/// image points into must not move or be freed before the image is.
public final class ImageBytes: @unchecked Sendable {
    let storage: UnsafeMutableRawBufferPointer

    public init<Bytes: Collection>(copying bytes: Bytes) where Bytes.Element == UInt8 {
        storage = .allocate(byteCount: max(bytes.count, 1), alignment: 16)
        // One memcpy for contiguous input; the element-by-element path is for the rest.
        let copied: Void? = bytes.withContiguousStorageIfAvailable { source in
            if let base = source.baseAddress { storage.baseAddress!.copyMemory(from: base, byteCount: source.count) }
        }
        if copied == nil {
            var index = 0
            for byte in bytes {
                storage[index] = byte
                index += 1
            }
        }
    }

    /// A copy of `count` bytes starting at `offset` of `other` (used to unwrap containers).
    init(slice other: ImageBytes, offset: Int, count: Int) {
        storage = .allocate(byteCount: max(count, 1), alignment: 16)
        storage.copyMemory(from: UnsafeRawBufferPointer(rebasing: other.storage[offset..<(offset + count)]))
    }

    deinit { storage.deallocate() }

    public var count: Int { storage.count }
    var baseAddress: UnsafeRawPointer { UnsafeRawPointer(storage.baseAddress!) }

    subscript(index: Int) -> UInt8 { storage[index] }

    /// Read-only access for parsers that scan with memchr.
    func withBuffer<T>(_ body: (UnsafeRawBufferPointer) -> T) -> T { body(UnsafeRawBufferPointer(storage)) }

    /// Little- and big-endian readers for container parsers; nil when out of range.
    func uint16LE(at offset: Int) -> Int? {
        guard offset >= 0, offset + 2 <= count else { return nil }
        return Int(storage[offset]) | Int(storage[offset + 1]) << 8
    }

    func uint32LE(at offset: Int) -> Int? {
        guard offset >= 0, offset + 4 <= count else { return nil }
        return (0..<4).reduce(0) { $0 | Int(storage[offset + $1]) << (8 * $1) }
    }

    func uint32BE(at offset: Int) -> Int? {
        guard offset >= 0, offset + 4 <= count else { return nil }
        return (0..<4).reduce(0) { $0 << 8 | Int(storage[offset + $1]) }
    }

    func hasPrefix(_ bytes: [UInt8], at offset: Int = 0) -> Bool {
        guard offset >= 0, offset + bytes.count <= count else { return false }
        return bytes.indices.allSatisfy { storage[offset + $0] == bytes[$0] }
    }

    /// A copy as an array, for the chunk parsers.
    var array: [UInt8] { Array(storage) }

    /// The first `limit` bytes as a string, for text sniffing (SVG).
    func prefixString(_ limit: Int) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: storage[0..<min(limit, count)]), as: UTF8.self)
    }
}
