import Bytes

/// An upload's bytes at a fixed address for as long as any image made from them lives.
///
/// libvips reads buffers lazily and never copies them, so the memory a loaded
/// image points into must not move or be freed before the image is.
public final class ImageBytes: @unchecked Sendable {
    let storage: UnsafeMutableRawBufferPointer

    public init<Bytes: Collection>(copying bytes: Bytes) where Bytes.Element == UInt8 {
        storage = .allocate(byteCount: Swift.max(bytes.count, 1), alignment: 16)
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
        storage = .allocate(byteCount: Swift.max(count, 1), alignment: 16)
        storage.copyMemory(from: UnsafeRawBufferPointer(rebasing: other.storage[offset..<(offset + count)]))
    }

    deinit { storage.deallocate() }

    public var count: Int { storage.count }
    var baseAddress: UnsafeRawPointer { UnsafeRawPointer(storage.baseAddress!) }


    /// Read-only access for parsers that scan with memchr.
    func withBuffer<T>(_ body: (UnsafeRawBufferPointer) -> T) -> T { body(UnsafeRawBufferPointer(storage)) }

    /// A copy as an array, for the chunk parsers.
    var array: [UInt8] { Array(storage) }
}

/// The bytes as a collection, so the one bounds-checked `ByteReader` reads them.
extension ImageBytes: RandomAccessCollection {
    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.count }
    public subscript(index: Int) -> UInt8 { storage[index] }

    /// Little-endian reads for the Windows formats, big-endian for the rest.
    func reader(_ order: ByteOrder) -> ByteReader<ImageBytes> { ByteReader(self, byteOrder: order) }
}
